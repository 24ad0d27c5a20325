import { EyeOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { EmptyState, Loading } from '../../components/page-states.tsx';
import { type ClassLabel, classColor, formatCount } from './class-counts.tsx';
import { TransitionMatrix } from './transition-matrix.tsx';
import type { PreviewResult } from './use-schemes.ts';

type PreviewRow = { key: string; name: string; color: string; before: number; after: number };

/** 预览: customers per class now and under the draft, the difference, and who would move where. */
export function PreviewPanel({
  result,
  classes,
  currentClasses,
  stale,
  pending,
  onPreview,
}: {
  result: PreviewResult | null;
  /** the draft's classes, in order */
  classes: readonly ClassLabel[];
  /** the current version's classes */
  currentClasses: readonly ClassLabel[];
  stale: boolean;
  pending: boolean;
  onPreview: () => void;
}) {
  const { t, i18n } = useTranslation('schemes');
  const pick = useBilingual();

  const rows = useMemo<PreviewRow[]>(() => {
    if (!result) return [];
    const keys = [
      ...classes.map((c) => c.key),
      ...currentClasses.map((c) => c.key).filter((k) => !classes.some((c) => c.key === k)),
      ...Object.keys(result.currentCounts).filter(
        (k) =>
          k !== '(none)' && !classes.some((c) => c.key === k) && !currentClasses.some((c) => c.key === k),
      ),
    ];
    const all = [...classes, ...currentClasses];
    return keys.map((key) => ({
      key,
      name: pick(all.find((c) => c.key === key)?.name ?? result.classNames[key]) || key,
      color: classColor(all, key),
      before: result.currentCounts[key] ?? 0,
      after: result.counts[key] ?? 0,
    }));
  }, [result, classes, currentClasses, pick]);

  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, data: [t('preview.before'), t('preview.after')] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { interval: 0, hideOverlap: true },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('preview.before'),
          type: 'bar',
          color: '#bfbfbf',
          data: rows.map((r) => ({ value: r.before, itemStyle: { color: r.color, opacity: 0.35 } })),
        },
        {
          name: t('preview.after'),
          type: 'bar',
          color: '#1677ff',
          label: { show: true, position: 'top', fontSize: 11 },
          data: rows.map((r) => ({ value: r.after, itemStyle: { color: r.color } })),
        },
      ],
    }),
    [rows, t],
  );

  if (pending) return <Loading tip={t('preview.running')} />;
  if (!result) {
    return (
      <Card>
        <EmptyState description={t('preview.empty')}>
          <Button type="primary" icon={<EyeOutlined />} onClick={onPreview}>
            {t('actions.preview')}
          </Button>
        </EmptyState>
      </Card>
    );
  }

  const share = result.population ? (result.changed / result.population) * 100 : 0;
  return (
    <div data-testid="preview-panel" style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      {stale ? (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          title={t('preview.stale')}
          action={
            <Button size="small" onClick={onPreview}>
              {t('preview.again')}
            </Button>
          }
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={t('preview.population')} value={result.population} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={t('preview.changed')}
              value={result.changed}
              suffix={
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 14 }}
                >{`(${share.toFixed(1)}%)`}</Typography.Text>
              }
              styles={{ content: { color: result.changed ? '#d46b08' : undefined } }}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={t('preview.asOf')} value={result.asOf} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('preview.nothingSaved')}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={13}>
          <Card size="small" title={t('preview.chartTitle')}>
            <Chart name="scheme-preview" option={option} height={300} />
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card size="small" title={t('preview.tableTitle')} styles={{ body: { padding: 0 } }}>
            <Table<PreviewRow>
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={rows}
              data-testid="preview-table"
              onRow={(r) =>
                ({
                  'data-testid': `preview-row-${r.key}`,
                  'data-before': r.before,
                  'data-after': r.after,
                }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  title: t('preview.class'),
                  key: 'name',
                  render: (_, r) => (
                    <span>
                      <span
                        style={{
                          display: 'inline-block',
                          width: 8,
                          height: 8,
                          borderRadius: 2,
                          marginRight: 6,
                          background: r.color,
                        }}
                      />
                      {r.name}
                    </span>
                  ),
                },
                {
                  title: t('preview.before'),
                  dataIndex: 'before',
                  align: 'right',
                  render: (n: number) => formatCount(n, i18n.language),
                },
                {
                  title: t('preview.after'),
                  dataIndex: 'after',
                  align: 'right',
                  render: (n: number) => formatCount(n, i18n.language),
                },
                {
                  title: t('preview.delta'),
                  key: 'delta',
                  align: 'right',
                  render: (_, r) => <Delta value={r.after - r.before} lang={i18n.language} />,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('preview.matrixTitle')}
        extra={<Typography.Text type="secondary">{t('matrix.hint')}</Typography.Text>}
      >
        <TransitionMatrix
          transitions={result.transitions}
          fromClasses={currentClasses}
          toClasses={classes}
          names={result.classNames}
          testId="preview-matrix"
        />
      </Card>
    </div>
  );
}

export function Delta({ value, lang }: { value: number; lang: string }) {
  if (value === 0) return <Typography.Text type="secondary">0</Typography.Text>;
  return (
    <Typography.Text strong style={{ color: value > 0 ? '#389e0d' : '#cf1322' }} data-delta={value}>
      {value > 0 ? '+' : '−'}
      {formatCount(Math.abs(value), lang)}
    </Typography.Text>
  );
}
