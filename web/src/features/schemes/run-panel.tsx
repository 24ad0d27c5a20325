import { CheckCircleFilled } from '@ant-design/icons';
import { Alert, Card, Col, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { EmptyState, QueryState } from '../../components/page-states.tsx';
import { ClassCountsBar, type ClassLabel, formatCount, formatInstant } from './class-counts.tsx';
import { TransitionMatrix } from './transition-matrix.tsx';
import { type RunRecord, type RunSummary, useSchemeRuns } from './use-schemes.ts';

/**
 * 运行记录: the result of "run now" (counts per class and who moved) and the scheme's
 * recent runs with their counts; each run expands to its transition matrix.
 */
export function RunPanel({
  schemeKey,
  classes,
  justRan,
}: {
  schemeKey: string;
  classes: readonly ClassLabel[];
  justRan: RunSummary | null;
}) {
  const { t, i18n } = useTranslation('schemes');
  const pick = useBilingual();
  const runs = useSchemeRuns(schemeKey);
  return (
    <Flex vertical gap={16}>
      {justRan ? (
        <Card
          size="small"
          data-testid="run-result"
          title={
            <Flex gap={8} align="center">
              <CheckCircleFilled style={{ color: '#52c41a' }} />
              {t('run.resultTitle', { name: pick(justRan.schemeName), asOf: justRan.asOf })}
            </Flex>
          }
        >
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Statistic title={t('preview.population')} value={justRan.population} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('run.changed')} value={justRan.changed} />
            </Col>
            <Col xs={24} md={12}>
              <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                {t('run.perClass')}
              </Typography.Text>
              <ClassCountsBar schemeKey={schemeKey} classes={classes} counts={justRan.counts} />
            </Col>
          </Row>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('run.movesTitle')}
          </Typography.Title>
          <TransitionMatrix
            transitions={justRan.transitions}
            fromClasses={classes}
            toClasses={classes}
            names={justRan.classNames}
            testId="run-matrix"
            corner={t('matrix.runCorner')}
          />
        </Card>
      ) : null}
      <Card size="small" title={t('run.historyTitle')} styles={{ body: { padding: 0 } }}>
        <QueryState query={runs}>
          {(list) =>
            list.length === 0 ? (
              <div style={{ padding: 16 }}>
                <EmptyState description={t('run.none')} />
              </div>
            ) : (
              <Table<RunRecord>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={list}
                data-testid="runs-table"
                expandable={{
                  expandedRowRender: (r) => (
                    <TransitionMatrix
                      transitions={r.transitions}
                      fromClasses={classes}
                      toClasses={classes}
                      testId={`run-matrix-${r.id}`}
                      corner={t('matrix.runCorner')}
                    />
                  ),
                }}
                columns={[
                  { title: t('run.id'), dataIndex: 'id', width: 70, render: (id: number) => `#${id}` },
                  { title: t('run.asOf'), dataIndex: 'asOf', width: 110 },
                  {
                    title: t('versions.version'),
                    dataIndex: 'schemeVersion',
                    width: 80,
                    render: (v: number) => <Tag>v{v}</Tag>,
                  },
                  {
                    title: t('run.finished'),
                    key: 'finished',
                    width: 160,
                    render: (_, r) =>
                      r.status === 'succeeded' ? (
                        formatInstant(r.finishedAt, i18n.language)
                      ) : (
                        <Alert type="error" title={r.status} banner style={{ padding: '0 8px' }} />
                      ),
                  },
                  {
                    title: t('run.changed'),
                    dataIndex: 'changed',
                    width: 90,
                    align: 'right',
                    render: (n: number) => formatCount(n, i18n.language),
                  },
                  {
                    title: t('run.perClass'),
                    key: 'counts',
                    render: (_, r) => (
                      <ClassCountsBar schemeKey={schemeKey} classes={classes} counts={r.counts} compact />
                    ),
                  },
                ]}
              />
            )
          }
        </QueryState>
      </Card>
    </Flex>
  );
}
