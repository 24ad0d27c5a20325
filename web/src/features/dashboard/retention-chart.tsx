import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard } from './chart-card.tsx';
import type { RetentionClass } from './use-dashboard.ts';

const HEIGHT = 300;

const pct = (rate: number | null) => (rate === null ? '-' : Math.round(rate * 1000) / 10);

/** Repurchase and retention rate of each class of the scheme, side by side. */
export function RetentionChart({ classes }: { classes: RetentionClass[] }) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const populated = useMemo(() => classes.filter((c) => c.customers > 0), [classes]);

  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 124, right: 48, top: 32, bottom: 8 },
      legend: { top: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: Array<{ dataIndex: number }>) => {
          const c = populated[params[0]?.dataIndex ?? 0];
          if (!c) return '';
          const rate = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
          return [
            `<b>${pick(c.name)}</b>`,
            t('retention.tooltipRepurchase', {
              rate: rate(c.repurchaseRate),
              part: c.repurchasers,
              whole: c.customers,
            }),
            t('retention.tooltipRetention', {
              rate: rate(c.retentionRate),
              part: c.retained,
              whole: c.activePrevious,
            }),
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'value',
        max: 100,
        axisLabel: { formatter: '{value}%' },
        splitLine: { lineStyle: { type: 'dashed' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: populated.map((c) => pick(c.name)),
        axisTick: { show: false },
        axisLabel: { width: 112, overflow: 'truncate', color: '#434343' },
      },
      series: [
        {
          type: 'bar',
          name: t('retention.repurchase'),
          barMaxWidth: 12,
          itemStyle: { color: '#1677ff', borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', fontSize: 11, formatter: '{c}%' },
          data: populated.map((c) => pct(c.repurchaseRate)),
        },
        {
          type: 'bar',
          name: t('retention.retention'),
          barMaxWidth: 12,
          itemStyle: { color: '#52c41a', borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', fontSize: 11, formatter: '{c}%' },
          data: populated.map((c) => pct(c.retentionRate)),
        },
      ],
    }),
    [populated, pick, t],
  );

  return (
    <ChartCard
      testId="panel-retention"
      title={t('retention.title')}
      help={t('retention.help')}
      height={HEIGHT}
      empty={populated.length === 0 ? t('retention.empty') : undefined}
    >
      <Chart name="retention" option={option} height={HEIGHT} />
    </ChartCard>
  );
}
