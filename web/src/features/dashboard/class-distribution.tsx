import { Col, Row } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useBilingual } from '../../components/bilingual.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard, classColor } from './chart-card.tsx';
import type { SchemeDistribution } from './use-dashboard.ts';

/**
 * Fixed grid edges (px) of the class bar chart: the category labels get a known width, and
 * each class owns an equal horizontal band, so a click target is predictable.
 */
export const DISTRIBUTION_GRID = { left: 132, right: 56, top: 8, bottom: 8 } as const;
export const DISTRIBUTION_HEIGHT = 300;

/** Customers per class of one scheme, as bars and as shares; a class opens its customer list. */
export function ClassDistribution({ scheme }: { scheme: SchemeDistribution }) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const navigate = useNavigate();
  const classes = scheme.classes;
  const classified = classes.reduce((sum, c) => sum + c.customers, 0);

  const openClass = (index: number | undefined) => {
    const c = index === undefined ? undefined : classes[index];
    if (c)
      navigate(
        `/customers?scheme=${encodeURIComponent(scheme.schemeKey)}&class=${encodeURIComponent(c.key)}`,
      );
  };

  const bar = useMemo<ChartOption>(
    () => ({
      grid: DISTRIBUTION_GRID,
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const c = classes[p.dataIndex];
          return `${pick(c.name)}<br/><b>${c.customers.toLocaleString('zh-CN')}</b> · ${(c.share * 100).toFixed(1)}%`;
        },
      },
      xAxis: { type: 'value', splitLine: { lineStyle: { type: 'dashed' } }, axisLabel: { show: false } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: classes.map((c) => pick(c.name)),
        axisTick: { show: false },
        axisLabel: { width: DISTRIBUTION_GRID.left - 12, overflow: 'truncate', color: '#434343' },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          cursor: 'pointer',
          data: classes.map((c, i) => ({
            value: c.customers,
            itemStyle: { color: classColor(c, i), borderRadius: [0, 4, 4, 0] },
          })),
          label: { show: true, position: 'right', color: '#595959' },
        },
      ],
    }),
    [classes, pick],
  );

  const pie = useMemo<ChartOption>(
    () => ({
      title: {
        text: classified.toLocaleString('zh-CN'),
        subtext: t('distribution.classified'),
        left: 'center',
        top: '38%',
        textStyle: { fontSize: 22, fontWeight: 600 },
        subtextStyle: { fontSize: 12 },
      },
      tooltip: { trigger: 'item', formatter: '{b}<br/><b>{c}</b> · {d}%' },
      series: [
        {
          type: 'pie',
          radius: ['52%', '78%'],
          center: ['50%', '50%'],
          avoidLabelOverlap: true,
          cursor: 'pointer',
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          label: {
            position: 'inside',
            color: '#fff',
            fontSize: 11,
            formatter: (p: { percent: number }) => (p.percent >= 6 ? `${Math.round(p.percent)}%` : ''),
          },
          data: classes.map((c, i) => ({
            name: pick(c.name),
            value: c.customers,
            itemStyle: { color: classColor(c, i) },
          })),
        },
      ],
    }),
    [classes, classified, pick, t],
  );

  return (
    <ChartCard
      testId="panel-distribution"
      title={t('distribution.title')}
      help={t('distribution.help')}
      height={DISTRIBUTION_HEIGHT}
      empty={scheme.lastRun ? undefined : t('distribution.notRun')}
      footer={
        scheme.lastRun
          ? t('distribution.footer', { asOf: scheme.lastRun.asOf, version: scheme.version })
          : undefined
      }
    >
      <Row gutter={8}>
        <Col xs={24} md={15}>
          <Chart
            name="class-distribution"
            option={bar}
            height={DISTRIBUTION_HEIGHT}
            onClick={(p) => openClass(p.dataIndex)}
          />
        </Col>
        <Col xs={24} md={9}>
          <Chart
            name="class-share"
            option={pie}
            height={DISTRIBUTION_HEIGHT}
            onClick={(p) => openClass(p.dataIndex)}
          />
        </Col>
      </Row>
    </ChartCard>
  );
}
