import { HistoryOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState } from '../../components/page-states.tsx';
import { HISTORY_KEY, type HistoryItem, importApi } from './import-api.ts';
import { formatBytes, formatCount, formatTime } from './import-format.ts';

const STATUS: Record<string, { badge: 'success' | 'error' | 'default' | 'processing'; label: string }> = {
  committed: { badge: 'success', label: 'history.statusCommitted' },
  failed: { badge: 'error', label: 'history.statusFailed' },
  dry_run: { badge: 'default', label: 'history.statusDryRun' },
  running: { badge: 'processing', label: 'history.statusRunning' },
};

/** The latest imports (anyone's, CLI ones too) with their outcome. */
export function ImportHistory() {
  const { t, i18n } = useTranslation('imports');
  const lang = i18n.language;
  const history = useQuery({ queryKey: HISTORY_KEY, queryFn: importApi.history });

  return (
    <Card
      data-testid="import-history"
      title={
        <span>
          <HistoryOutlined style={{ marginInlineEnd: 8 }} />
          {t('history.title')}
        </span>
      }
      extra={
        <Button
          size="small"
          icon={<ReloadOutlined />}
          loading={history.isFetching}
          onClick={() => history.refetch()}
        >
          {t('history.refresh')}
        </Button>
      }
    >
      {history.error ? (
        <ErrorState error={history.error} onRetry={() => history.refetch()} />
      ) : (
        <Table<HistoryItem>
          size="small"
          rowKey="id"
          loading={history.isPending}
          dataSource={history.data?.items ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: <EmptyState description={t('history.empty')} /> }}
          columns={[
            {
              key: 'time',
              title: t('history.time'),
              width: 180,
              render: (_, item) => formatTime(item.finishedAt ?? item.startedAt, lang),
            },
            {
              key: 'entity',
              title: t('history.entity'),
              width: 100,
              render: (_, item) => t(`entity.${item.entity}`, { defaultValue: item.entity }),
            },
            {
              key: 'file',
              title: t('history.file'),
              ellipsis: true,
              render: (_, item) => (
                <span title={item.fileName}>
                  {item.fileName}{' '}
                  <Typography.Text type="secondary">{formatBytes(item.fileSize, t)}</Typography.Text>
                </span>
              ),
            },
            {
              key: 'status',
              title: t('history.status'),
              width: 110,
              render: (_, item) => {
                const s = STATUS[item.status];
                return s ? <Badge status={s.badge} text={t(s.label)} /> : item.status;
              },
            },
            {
              key: 'result',
              title: t('history.result'),
              width: 240,
              render: (_, item) =>
                item.counts ? (
                  t('history.summary', {
                    new: formatCount(item.counts.new ?? 0, lang),
                    updated: formatCount(item.counts.updated ?? 0, lang),
                    invalid: formatCount(item.counts.invalid ?? 0, lang),
                  })
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              key: 'actor',
              title: t('history.actor'),
              width: 110,
              render: (_, item) =>
                item.actor ?? <Typography.Text type="secondary">{t('history.cli')}</Typography.Text>,
            },
          ]}
        />
      )}
    </Card>
  );
}
