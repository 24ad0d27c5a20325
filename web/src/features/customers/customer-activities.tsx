import { PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Rate, Table, type TableProps, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/session.ts';
import { formatFen } from '../../components/bilingual.ts';
import { ErrorState } from '../../components/page-states.tsx';
import { AddFeedbackModal, AddInteractionModal } from './activity-forms.tsx';
import type { CustomerDetail, Feedback, Interaction, Order } from './customer-types.ts';
import { type ActivityKind, useActivities } from './use-customers.ts';

const PAGE_SIZE = 10;

function ActivityTable<K extends ActivityKind, T extends { id: number }>({
  code,
  kind,
  columns,
  empty,
}: {
  code: string;
  kind: K;
  columns: TableProps<T>['columns'];
  empty: string;
}) {
  const [page, setPage] = useState(1);
  const query = useActivities(code, kind, { page, pageSize: PAGE_SIZE });
  if (query.error && !query.data) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <Table<T>
      data-testid={`${kind}-table`}
      rowKey="id"
      size="small"
      loading={query.isFetching}
      columns={columns}
      dataSource={(query.data?.items ?? []) as unknown as T[]}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: query.data?.total ?? 0,
        hideOnSinglePage: true,
        showSizeChanger: false,
        onChange: setPage,
      }}
    />
  );
}

const text = (v: string | null) => v ?? '—';

/** Orders, interactions and feedback in tabs; interactions and feedback can be added by those allowed. */
export function CustomerActivities({ detail }: { detail: CustomerDetail }) {
  const { t } = useTranslation('customers');
  const can = useCan();
  const code = detail.customer.code;
  const [tab, setTab] = useState<ActivityKind>('orders');
  const [adding, setAdding] = useState<'interactions' | 'feedback' | null>(null);
  const live = !detail.customer.erasedAt;

  const orderColumns: TableProps<Order>['columns'] = [
    { key: 'at', title: t('order.orderedAt'), dataIndex: 'orderedAt', width: 170 },
    { key: 'no', title: t('order.externalId'), dataIndex: 'externalId', ellipsis: true, width: 160 },
    { key: 'product', title: t('order.product'), dataIndex: 'product', render: text },
    { key: 'category', title: t('order.category'), dataIndex: 'category', render: text },
    { key: 'channel', title: t('order.channel'), dataIndex: 'channel', render: text },
    {
      key: 'qty',
      title: t('order.quantity'),
      dataIndex: 'quantity',
      align: 'right',
      render: (v) => v ?? '—',
    },
    {
      key: 'amount',
      title: t('order.amount'),
      dataIndex: 'amount',
      align: 'right',
      render: (fen: number) => (
        <Typography.Text type={fen < 0 ? 'danger' : undefined}>{formatFen(fen)}</Typography.Text>
      ),
    },
    {
      key: 'status',
      title: t('order.status'),
      dataIndex: 'status',
      render: (s: string) => (
        <Tag color={s === 'completed' ? 'green' : s === 'cancelled' ? 'default' : 'gold'}>
          {t(`order.statuses.${s}`, s)}
        </Tag>
      ),
    },
  ];
  const interactionColumns: TableProps<Interaction>['columns'] = [
    { key: 'at', title: t('interaction.at'), dataIndex: 'at', width: 170 },
    {
      key: 'channel',
      title: t('interaction.channel'),
      dataIndex: 'channel',
      render: (c: string) => <Tag>{t(`interaction.channels.${c}`, c)}</Tag>,
    },
    {
      key: 'direction',
      title: t('interaction.direction'),
      dataIndex: 'direction',
      render: (d: string | null) => (d ? t(`interaction.directions.${d}`, d) : '—'),
    },
    { key: 'subject', title: t('interaction.subject'), dataIndex: 'subject', render: text },
    { key: 'request', title: t('interaction.request'), dataIndex: 'request', ellipsis: true, render: text },
    {
      key: 'solution',
      title: t('interaction.solution'),
      dataIndex: 'solution',
      ellipsis: true,
      render: text,
    },
    { key: 'outcome', title: t('interaction.outcome'), dataIndex: 'outcome', render: text },
  ];
  const feedbackColumns: TableProps<Feedback>['columns'] = [
    { key: 'at', title: t('feedback.at'), dataIndex: 'at', width: 170 },
    {
      key: 'kind',
      title: t('feedback.kind'),
      dataIndex: 'kind',
      render: (k: string) => (
        <Tag color={k === 'complaint' ? 'red' : 'blue'}>{t(`feedback.kinds.${k}`, k)}</Tag>
      ),
    },
    {
      key: 'satisfaction',
      title: t('feedback.satisfaction'),
      dataIndex: 'satisfaction',
      render: (v: number | null) => (v === null ? '—' : <Rate disabled value={v} style={{ fontSize: 14 }} />),
    },
    { key: 'nps', title: 'NPS', dataIndex: 'nps', align: 'right', render: (v) => v ?? '—' },
    { key: 'comment', title: t('feedback.comment'), dataIndex: 'comment', ellipsis: true, render: text },
    {
      key: 'status',
      title: t('feedback.status'),
      dataIndex: 'status',
      render: (s: string) => (
        <Badge status={s === 'handled' ? 'success' : 'warning'} text={t(`feedback.statuses.${s}`, s)} />
      ),
    },
    {
      key: 'resolution',
      title: t('feedback.resolution'),
      dataIndex: 'resolution',
      ellipsis: true,
      render: text,
    },
  ];

  const label = (kind: ActivityKind) => `${t(`tabs.${kind}`)} (${detail.counts[kind]})`;
  const addButton =
    tab === 'interactions' && can('interactions.write') && live ? (
      <Button icon={<PlusOutlined />} data-testid="add-interaction" onClick={() => setAdding('interactions')}>
        {t('interaction.add')}
      </Button>
    ) : tab === 'feedback' && can('feedback.write') && live ? (
      <Button icon={<PlusOutlined />} data-testid="add-feedback" onClick={() => setAdding('feedback')}>
        {t('feedback.add')}
      </Button>
    ) : null;

  return (
    <Card title={t('detail.activities')} data-testid="customer-activities">
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as ActivityKind)}
        tabBarExtraContent={addButton}
        items={[
          {
            key: 'orders',
            label: label('orders'),
            children: (
              <ActivityTable<'orders', Order>
                code={code}
                kind="orders"
                columns={orderColumns}
                empty={t('order.empty')}
              />
            ),
          },
          {
            key: 'interactions',
            label: label('interactions'),
            children: (
              <ActivityTable<'interactions', Interaction>
                code={code}
                kind="interactions"
                columns={interactionColumns}
                empty={t('interaction.empty')}
              />
            ),
          },
          {
            key: 'feedback',
            label: label('feedback'),
            children: (
              <ActivityTable<'feedback', Feedback>
                code={code}
                kind="feedback"
                columns={feedbackColumns}
                empty={t('feedback.empty')}
              />
            ),
          },
        ]}
      />
      <AddInteractionModal code={code} open={adding === 'interactions'} onClose={() => setAdding(null)} />
      <AddFeedbackModal code={code} open={adding === 'feedback'} onClose={() => setAdding(null)} />
    </Card>
  );
}
