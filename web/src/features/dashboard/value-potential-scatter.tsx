import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useBilingual } from '../../components/bilingual.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard, classColor } from './chart-card.tsx';
import type { ValuePotential } from './use-dashboard.ts';

const HEIGHT = 320;
/** Where the quadrants split: a score ≥ 50 is high (docs/classification.md). */
const SPLIT = 50;

type Point = [number, number, string];

/** Current value × potential per customer, coloured by quadrant class; a point opens the customer. */
export function ValuePotentialScatter({ data }: { data: ValuePotential }) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const navigate = useNavigate();

  const option = useMemo<ChartOption>(() => {
    const groups = data.classes.map((c, i) => ({
      name: pick(c.name),
      color: classColor(c, i),
      points: data.points
        .filter((p) => p.classKey === c.key)
        .map((p): Point => [p.value, p.potential, p.code]),
    }));
    const unclassified = data.points.filter((p) => !data.classes.some((c) => c.key === p.classKey));
    if (unclassified.length > 0) {
      groups.push({
        name: t('valuePotential.unclassified'),
        color: '#bfbfbf',
        points: unclassified.map((p): Point => [p.value, p.potential, p.code]),
      });
    }
    const axis = (name: string) => ({
      type: 'value',
      min: 0,
      max: 100,
      interval: 25,
      name,
      nameLocation: 'middle',
      nameGap: 26,
      splitLine: { lineStyle: { type: 'dashed', color: '#f0f0f0' } },
    });
    return {
      grid: { left: 48, right: 20, top: 36, bottom: 44 },
      legend: { top: 0, icon: 'circle', itemWidth: 10, itemHeight: 10 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; data: Point }) =>
          `${p.data[2]} · ${p.seriesName}<br/>${t('valuePotential.value')} ${p.data[0].toFixed(1)} · ${t('valuePotential.potential')} ${p.data[1].toFixed(1)}`,
      },
      xAxis: axis(t('valuePotential.value')),
      yAxis: axis(t('valuePotential.potential')),
      series: groups.map((g, i) => ({
        type: 'scatter',
        name: g.name,
        symbolSize: 7,
        cursor: 'pointer',
        itemStyle: { color: g.color, opacity: 0.75 },
        data: g.points,
        // The quadrant lines ride on the first series; they belong to the chart, not a class.
        ...(i === 0
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: '#8c8c8c', type: 'solid', width: 1 },
                label: { show: false },
                data: [{ xAxis: SPLIT }, { yAxis: SPLIT }],
              },
            }
          : {}),
      })),
    };
  }, [data, pick, t]);

  const shown = data.points.length;
  return (
    <ChartCard
      testId="panel-value-potential"
      title={t('valuePotential.title')}
      help={t('valuePotential.help')}
      height={HEIGHT}
      empty={shown === 0 ? t('valuePotential.empty') : undefined}
      footer={
        shown === 0
          ? undefined
          : shown < data.population
            ? t('valuePotential.sampled', {
                shown: shown.toLocaleString('zh-CN'),
                population: data.population.toLocaleString('zh-CN'),
              })
            : t('valuePotential.all', { population: data.population.toLocaleString('zh-CN') })
      }
    >
      <Chart
        name="value-potential"
        option={option}
        height={HEIGHT}
        onClick={(p) => {
          const point = p.data as Point | undefined;
          if (point?.[2]) navigate(`/customers/${encodeURIComponent(point[2])}`);
        }}
      />
    </ChartCard>
  );
}
