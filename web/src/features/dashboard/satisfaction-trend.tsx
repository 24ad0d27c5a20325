import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard } from './chart-card.tsx';
import type { SatisfactionMonth } from './use-dashboard.ts';

const HEIGHT = 300;
const dash = (v: number | null) => (v === null ? '-' : v);

/** Monthly average satisfaction (1–5) and NPS (−100…100) over the last twelve months. */
export function SatisfactionTrend({ months }: { months: SatisfactionMonth[] }) {
  const { t } = useTranslation('dashboard');
  const responses = months.reduce((sum, m) => sum + m.responses, 0);
  const complaints = months.reduce((sum, m) => sum + m.complaints, 0);

  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 44, top: 40, bottom: 28 },
      legend: { top: 0, itemWidth: 14, itemHeight: 8 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: Array<{ dataIndex: number }>) => {
          const m = months[params[0]?.dataIndex ?? 0];
          if (!m) return '';
          return [
            `<b>${m.month}</b>`,
            t('satisfaction.tooltipAvg', {
              value: m.satisfactionAvg === null ? '—' : m.satisfactionAvg.toFixed(2),
            }),
            t('satisfaction.tooltipNps', { value: m.npsScore === null ? '—' : m.npsScore.toFixed(1) }),
            t('satisfaction.tooltipCounts', { responses: m.responses, complaints: m.complaints }),
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: months.map((m) => m.month.slice(2).replace('-', '/')),
        axisTick: { show: false },
      },
      yAxis: [
        { type: 'value', min: 1, max: 5, interval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
        { type: 'value', min: -100, max: 100, interval: 50, splitLine: { show: false } },
      ],
      series: [
        {
          type: 'line',
          name: t('satisfaction.avg'),
          yAxisIndex: 0,
          smooth: 0.25,
          connectNulls: true,
          symbolSize: 6,
          itemStyle: { color: '#1677ff' },
          areaStyle: { color: 'rgba(22,119,255,0.08)' },
          data: months.map((m) => dash(m.satisfactionAvg)),
        },
        {
          type: 'line',
          name: t('satisfaction.nps'),
          yAxisIndex: 1,
          smooth: 0.25,
          connectNulls: true,
          symbolSize: 6,
          itemStyle: { color: '#fa8c16' },
          lineStyle: { type: 'dashed' },
          data: months.map((m) => dash(m.npsScore)),
        },
      ],
    }),
    [months, t],
  );

  return (
    <ChartCard
      testId="panel-satisfaction"
      title={t('satisfaction.title')}
      help={t('satisfaction.help')}
      height={HEIGHT}
      empty={responses === 0 ? t('satisfaction.empty') : undefined}
      footer={
        responses > 0
          ? t('satisfaction.footer', { responses: responses.toLocaleString('zh-CN'), complaints })
          : undefined
      }
    >
      <Chart name="satisfaction" option={option} height={HEIGHT} />
    </ChartCard>
  );
}
