import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard, classColor } from './chart-card.tsx';
import type { ClassTrend as Trend } from './use-dashboard.ts';

const HEIGHT = 300;

/** Customers per class at each of the scheme's recent runs, stacked so the total shows too. */
export function ClassTrend({ trend }: { trend: Trend | undefined }) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const runs = trend?.runs ?? [];

  const option = useMemo<ChartOption>(() => {
    const classes = trend?.classes ?? [];
    // Two runs on the same day are told apart by their number.
    const sameDay = new Set(
      runs.filter((r, i) => runs.findIndex((o) => o.asOf === r.asOf) !== i).map((r) => r.asOf),
    );
    const labels = runs.map((r) => (sameDay.has(r.asOf) ? `${r.asOf} #${r.runId}` : r.asOf));
    return {
      // The legend stands on the right as a list: nine RFM classes fit there without paging.
      grid: { left: 44, right: 136, top: 12, bottom: 28 },
      legend: {
        type: 'scroll',
        orient: 'vertical',
        right: 0,
        top: 'middle',
        icon: 'roundRect',
        itemWidth: 12,
        itemHeight: 8,
        itemGap: 8,
        textStyle: { width: 100, overflow: 'truncate' },
      },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: labels, axisTick: { show: false } },
      yAxis: { type: 'value', splitLine: { lineStyle: { type: 'dashed' } } },
      series: classes.map((c, i) => ({
        type: 'bar',
        name: pick(c.name),
        stack: 'customers',
        barMaxWidth: 56,
        itemStyle: { color: classColor(c, i) },
        emphasis: { focus: 'series' },
        data: runs.map((r) => r.counts[c.key] ?? 0),
      })),
    };
  }, [trend, runs, pick]);

  return (
    <ChartCard
      testId="panel-trend"
      title={t('trend.title')}
      help={t('trend.help')}
      height={HEIGHT}
      empty={runs.length === 0 ? t('trend.empty') : undefined}
      footer={runs.length === 1 ? t('trend.oneRun') : undefined}
    >
      <Chart name="class-trend" option={option} height={HEIGHT} />
    </ChartCard>
  );
}
