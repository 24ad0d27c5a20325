import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../components/bilingual.ts';
import type { CustomerMetrics } from './customer-types.ts';

type Metric = { key: string; value: string | number };

/** The customer's metrics as of the last run; money in yuan. */
export function CustomerMetricsCard({ metrics }: { metrics: CustomerMetrics }) {
  const { t } = useTranslation('customers');
  if (!metrics) {
    return (
      <Card title={t('detail.metrics')} data-testid="customer-metrics">
        <Typography.Text type="secondary">{t('detail.noMetrics')}</Typography.Text>
      </Card>
    );
  }
  const m = metrics;
  const days = (n: number | null) => (n === null ? '—' : t('days', { count: Math.round(n) }));
  const fixed = (n: number | null, digits = 1) => (n === null ? '—' : n.toFixed(digits));
  const items: Metric[] = [
    { key: 'totalAmount', value: formatFen(m.totalAmount) },
    { key: 'orderCount', value: m.orderCount },
    { key: 'avgOrderAmount', value: formatFen(m.avgOrderAmount) },
    { key: 'recencyDays', value: days(m.recencyDays) },
    { key: 'totalAmount365d', value: formatFen(m.totalAmount365d) },
    { key: 'orderCount365d', value: m.orderCount365d },
    { key: 'grossProfit365d', value: formatFen(m.grossProfit365d) },
    { key: 'lastOrderDate', value: m.lastOrderDate ?? '—' },
    { key: 'firstOrderDate', value: m.firstOrderDate ?? '—' },
    { key: 'tenureDays', value: days(m.tenureDays) },
    { key: 'avgInterpurchaseDays', value: days(m.avgInterpurchaseDays) },
    { key: 'distinctCategories', value: m.distinctCategories },
    { key: 'satisfactionAvg', value: fixed(m.satisfactionAvg) },
    { key: 'npsAvg', value: fixed(m.npsAvg) },
    { key: 'complaintCount365d', value: m.complaintCount365d },
    { key: 'interactions90d', value: m.interactions90d },
  ];
  const rfm = [m.rScore, m.fScore, m.mScore];
  if (rfm.some((s) => s !== null)) items.push({ key: 'rfm', value: rfm.map((s) => s ?? '—').join(' / ') });

  return (
    <Card
      title={t('detail.metrics')}
      extra={<Typography.Text type="secondary">{t('detail.metricsAsOf', { date: m.asOf })}</Typography.Text>}
      data-testid="customer-metrics"
    >
      <Row gutter={[16, 16]}>
        {items.map((item) => (
          <Col key={item.key} xs={12} md={8} xl={6}>
            <Statistic
              title={t(`metric.${item.key}`)}
              value={item.value}
              styles={{ content: { fontSize: 18 } }}
              data-testid={`metric-${item.key}`}
            />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
