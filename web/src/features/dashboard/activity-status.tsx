import { CheckCircleFilled, CloseCircleFilled, SyncOutlined } from '@ant-design/icons';
import {
  Card,
  Col,
  Divider,
  Row,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../api/session.ts';
import { useBilingual } from '../../components/bilingual.ts';
import { ErrorText } from '../../components/page-states.tsx';
import { type Dashboard, type RunSummary, useRecentRuns } from './use-dashboard.ts';

const STATUS_COLOR: Record<string, string> = {
  succeeded: 'success',
  committed: 'success',
  running: 'processing',
  failed: 'error',
};

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation('dashboard');
  const icon =
    status === 'running' ? (
      <SyncOutlined spin />
    ) : status === 'failed' ? (
      <CloseCircleFilled />
    ) : (
      <CheckCircleFilled />
    );
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} icon={icon} style={{ marginInlineEnd: 0 }}>
      {t(`status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** A timestamp as local date and minute, e.g. 2026-11-23 15:21. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Due call-back tasks, the last import and the latest classification runs. */
export function ActivityStatus({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const can = useCan();
  const runs = useRecentRuns(can('classification.read'));
  const schemeName = (key: string) => {
    const scheme = data.distribution.find((d) => d.schemeKey === key);
    return scheme ? pick(scheme.schemeName) : key;
  };
  const imp = data.lastImport;
  const importCounts = imp?.counts
    ? t('activity.importCounts', {
        new: imp.counts.new ?? 0,
        updated: imp.counts.updated ?? 0,
        unchanged: imp.counts.unchanged ?? 0,
      })
    : null;

  const columns: TableColumnsType<RunSummary> = [
    { key: 'scheme', title: t('activity.scheme'), render: (_, r) => schemeName(r.schemeKey), ellipsis: true },
    { key: 'asOf', title: t('activity.asOf'), dataIndex: 'asOf', width: 100 },
    {
      key: 'status',
      title: t('activity.status'),
      render: (_, r) => <StatusTag status={r.status} />,
      width: 88,
    },
    {
      key: 'changed',
      title: t('activity.changed'),
      align: 'right',
      width: 64,
      render: (_, r) => (r.previousRunId === null ? '—' : r.changed.toLocaleString('zh-CN')),
    },
    {
      key: 'finished',
      title: t('activity.finished'),
      width: 104,
      render: (_, r) => (
        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
          {formatTime(r.finishedAt ?? r.startedAt).slice(5)}
        </Typography.Text>
      ),
    },
  ];
  // Run counts cover every customer, so a user limited to their own customers does not see them.
  if (data.scope === 'own') columns.splice(3, 1);

  return (
    <Card
      data-testid="panel-activity"
      title={t('activity.title')}
      style={{ height: '100%' }}
      styles={{ body: { padding: '12px 16px 16px' } }}
    >
      <Row gutter={16} data-testid="tasks-due">
        <Col span={8}>
          <Statistic title={t('activity.tasksDue')} value={data.tasks.due} />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('activity.tasksOverdue')}
            value={data.tasks.overdue}
            styles={{ content: { color: data.tasks.overdue > 0 ? '#cf1322' : undefined } }}
          />
        </Col>
        <Col span={8}>
          <Statistic title={t('activity.tasksNext7')} value={data.tasks.next7Days} />
        </Col>
      </Row>

      <Divider style={{ margin: '12px 0' }} />
      <div data-testid="last-import">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Text strong>{t('activity.lastImport')}</Typography.Text>
          {can('imports.run') && <Link to="/imports">{t('activity.toImports')}</Link>}
        </Space>
        {imp ? (
          <div style={{ marginTop: 6, display: 'flex', gap: 8, alignItems: 'center', minWidth: 0 }}>
            <StatusTag status={imp.status} />
            <Typography.Text ellipsis style={{ flex: 1, minWidth: 0 }} title={imp.fileName}>
              {t(`entity.${imp.entity}`, { defaultValue: imp.entity })} · {imp.fileName}
              {importCounts ? ` · ${importCounts}` : ''}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
              {formatTime(imp.finishedAt ?? imp.startedAt)}
            </Typography.Text>
          </div>
        ) : (
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
            {t('activity.noImport')}
          </Typography.Paragraph>
        )}
      </div>

      <Divider style={{ margin: '12px 0' }} />
      <Typography.Text strong>{t('activity.recentRuns')}</Typography.Text>
      <ErrorText error={runs.error} />
      <Table<RunSummary>
        data-testid="recent-runs"
        size="small"
        style={{ marginTop: 6 }}
        rowKey="id"
        loading={runs.isPending && runs.fetchStatus !== 'idle'}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={(runs.data?.runs ?? []).slice(0, 4)}
        locale={{ emptyText: t('activity.noRuns') }}
        columns={columns}
      />
    </Card>
  );
}
