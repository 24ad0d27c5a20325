import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard } from './chart-card.tsx';
import type { RfmCell } from './use-dashboard.ts';

const SCORES = [1, 2, 3, 4, 5];
const HEIGHT = 320;

/** R score × F score; a cell's number is its customers, its colour their average M score. */
export function RfmHeatmap({ cells }: { cells: RfmCell[] }) {
  const { t } = useTranslation('dashboard');
  const navigate = useNavigate();
  const scored = cells.reduce((sum, c) => sum + c.customers, 0);

  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 16, top: 12, bottom: 78 },
      tooltip: {
        formatter: (p: { data: [number, number, number | null, number] }) => {
          const [f, r, m, customers] = p.data;
          return t('rfm.tooltip', {
            r: SCORES[r],
            f: SCORES[f],
            customers: customers.toLocaleString('zh-CN'),
            m: m === null ? '—' : m.toFixed(2),
          });
        },
      },
      xAxis: {
        type: 'category',
        data: SCORES.map(String),
        name: t('rfm.fAxis'),
        nameLocation: 'middle',
        nameGap: 26,
        splitArea: { show: true },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'category',
        data: SCORES.map(String),
        name: t('rfm.rAxis'),
        nameLocation: 'middle',
        nameGap: 32,
        splitArea: { show: true },
        axisTick: { show: false },
      },
      visualMap: {
        type: 'continuous',
        dimension: 2,
        min: 1,
        max: 5,
        precision: 1,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        itemWidth: 12,
        text: [t('rfm.highM'), t('rfm.lowM')],
        inRange: { color: ['#e6f4ff', '#69b1ff', '#0958d9', '#002c8c'] },
      },
      series: [
        {
          type: 'heatmap',
          cursor: 'pointer',
          data: cells.map((c) => [c.f - 1, c.r - 1, c.avgM, c.customers]),
          label: {
            show: true,
            formatter: (p: { data: [number, number, number | null, number] }) => String(p.data[3]),
          },
          itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 4 },
          emphasis: { itemStyle: { shadowBlur: 8, shadowColor: 'rgba(0,0,0,0.3)' } },
        },
      ],
    }),
    [cells, t],
  );

  return (
    <ChartCard
      testId="panel-rfm"
      title={t('rfm.title')}
      help={t('rfm.help')}
      height={HEIGHT}
      empty={cells.length === 0 ? t('rfm.empty') : undefined}
      footer={cells.length > 0 ? t('rfm.footer', { customers: scored.toLocaleString('zh-CN') }) : undefined}
    >
      <Chart
        name="rfm-heatmap"
        option={option}
        height={HEIGHT}
        onClick={(p) => {
          const data = p.data as [number, number, number | null, number] | undefined;
          if (!data) return;
          const rule = `r_score = ${data[1] + 1} and f_score = ${data[0] + 1}`;
          navigate(`/customers?rule=${encodeURIComponent(rule)}`);
        }}
      />
    </ChartCard>
  );
}
