import { ClearOutlined } from '@ant-design/icons';
import {
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCan } from '../../api/session.ts';
import { EmptyState, ErrorState } from '../../components/page-states.tsx';
import {
  AUDIT_ACTION_GROUPS,
  AUDIT_ENTITIES,
  actionColor,
  actionName,
  describeEntry,
  entityName,
} from './audit-labels.ts';
import { type AuditEntry, type AuditFilter, formatInstant, useAuditLog, useUsers } from './use-settings.ts';

const FILTER_KEYS = ['actor', 'action', 'entity', 'entityId', 'from', 'to'] as const;
const PAGE_SIZES = [20, 50, 100];

function DetailsView({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('settings');
  const details = entry.details ?? {};
  const keys = Object.keys(details);
  return (
    <div data-testid="audit-details" style={{ padding: '4px 8px' }}>
      {keys.length === 0 ? (
        <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>
      ) : (
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          bordered
          items={keys.map((k) => {
            const v = details[k];
            return {
              key: k,
              label: k,
              children: (
                <Typography.Text style={{ wordBreak: 'break-all' }}>
                  {typeof v === 'string' ? v : JSON.stringify(v)}
                </Typography.Text>
              ),
            };
          })}
        />
      )}
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
        {t('audit.raw')}: #{entry.id} · {entry.at} · {entry.action}
        {entry.entity ? ` · ${entry.entity}` : ''}
        {entry.entityId ? `/${entry.entityId}` : ''}
      </Typography.Text>
    </div>
  );
}

/** The object of an entry, linked when the app has a page for it. */
function Target({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('settings');
  if (!entry.entity) return <Typography.Text type="secondary">—</Typography.Text>;
  const name = entityName(entry.entity, t);
  if (entry.entity === 'customer' && entry.entityId && entry.action !== 'customer.erase')
    return (
      <span>
        {name} <Link to={`/customers/${encodeURIComponent(entry.entityId)}`}>{entry.entityId}</Link>
      </span>
    );
  if (entry.entity === 'scheme' && entry.entityId)
    return (
      <span>
        {name} <Link to={`/schemes/${encodeURIComponent(entry.entityId)}`}>{entry.entityId}</Link>
      </span>
    );
  if (entry.entity === 'user') {
    // A user by name: the details carry it for changes, and a sign-in's actor is the user.
    const username =
      typeof entry.details?.username === 'string'
        ? entry.details.username
        : entry.action.startsWith('log')
          ? entry.actor
          : null;
    if (username) return <span>{`${name} ${username}`}</span>;
  }
  if (entry.entity === 'api_token' && typeof entry.details?.name === 'string')
    return <span>{`${name} ${entry.details.name}`}</span>;
  return (
    <span>
      {name} {entry.entityId ? <Typography.Text code>{entry.entityId}</Typography.Text> : null}
    </span>
  );
}

export function AuditTab() {
  const { t, i18n } = useTranslation('settings');
  const lang = i18n.language;
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter: AuditFilter = Object.fromEntries(
    FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v),
  );
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? 20) || 20;
  const log = useAuditLog(filter, page, pageSize);
  const users = useUsers(can('users.manage'));
  // Typed text applies on Enter, selection or leaving the box, not on every key.
  const [actorText, setActorText] = useState(filter.actor ?? '');
  const [entityIdText, setEntityIdText] = useState(filter.entityId ?? '');
  // The date picker holds its own value; a new key clears it with the other filters.
  const [datesKey, setDatesKey] = useState(0);
  // Dates that came with the link (not picked here) show as a tag the picker cannot display.
  const [pickedHere, setPickedHere] = useState(false);
  useEffect(() => setActorText(filter.actor ?? ''), [filter.actor]);
  useEffect(() => setEntityIdText(filter.entityId ?? ''), [filter.entityId]);

  const setFilter = (changes: Partial<Record<(typeof FILTER_KEYS)[number], string | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('page');
    setParams(next, { replace: true });
  };
  const filtered = FILTER_KEYS.some((k) => filter[k]);

  const actionOptions = Object.entries(AUDIT_ACTION_GROUPS).map(([group, actions]) => ({
    label: t(`audit.groups.${group}`),
    title: group,
    options: actions.map((a) => ({ value: a, label: actionName(a, t) })),
  }));

  return (
    <Card title={t('audit.heading')}>
      <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      <Space wrap size={[12, 12]} style={{ marginBottom: 16 }} data-testid="audit-filters">
        <AutoComplete
          style={{ width: 150 }}
          value={actorText}
          options={(users.data?.items ?? []).map((u) => ({
            value: u.username,
            label: u.displayName ? `${u.username}（${u.displayName}）` : u.username,
          }))}
          filterOption={(input, option) =>
            String(option?.value ?? '')
              .toLowerCase()
              .includes(input.toLowerCase())
          }
          onChange={(v) => setActorText(v)}
          onSelect={(v: string) => setFilter({ actor: v })}
          allowClear
          onClear={() => setFilter({ actor: undefined })}
        >
          <Input
            aria-label={t('audit.actor')}
            placeholder={t('audit.actorPlaceholder')}
            data-testid="audit-filter-actor"
            onPressEnter={() => setFilter({ actor: actorText.trim() || undefined })}
            onBlur={() => setFilter({ actor: actorText.trim() || undefined })}
          />
        </AutoComplete>
        <Select
          style={{ width: 200 }}
          aria-label={t('audit.action')}
          placeholder={t('audit.actionPlaceholder')}
          data-testid="audit-filter-action"
          value={filter.action}
          options={actionOptions}
          onChange={(v?: string) => setFilter({ action: v })}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
        />
        <Select
          style={{ width: 150 }}
          aria-label={t('audit.entity')}
          placeholder={t('audit.entityPlaceholder')}
          value={filter.entity}
          options={AUDIT_ENTITIES.map((e) => ({ value: e, label: entityName(e, t) }))}
          onChange={(v?: string) => setFilter({ entity: v })}
          allowClear
        />
        <Input
          style={{ width: 150 }}
          aria-label={t('audit.entityId')}
          placeholder={t('audit.entityIdPlaceholder')}
          value={entityIdText}
          onChange={(e) => setEntityIdText(e.target.value)}
          onPressEnter={() => setFilter({ entityId: entityIdText.trim() || undefined })}
          onBlur={() => setFilter({ entityId: entityIdText.trim() || undefined })}
          allowClear
        />
        <DatePicker.RangePicker
          key={datesKey}
          aria-label={t('audit.dates')}
          data-testid="audit-filter-dates"
          onChange={(_, [from, to]) => {
            setPickedHere(true);
            setFilter({ from: from || undefined, to: to || undefined });
          }}
        />
        {filtered ? (
          <Button
            icon={<ClearOutlined />}
            onClick={() => {
              setDatesKey((k) => k + 1);
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            {t('audit.clear')}
          </Button>
        ) : null}
        {(filter.from || filter.to) && !pickedHere ? (
          <Tag closable onClose={() => setFilter({ from: undefined, to: undefined })}>
            {filter.from ?? '…'} ~ {filter.to ?? '…'}
          </Tag>
        ) : null}
      </Space>
      {log.error && !log.data ? (
        <ErrorState error={log.error} onRetry={() => log.refetch()} />
      ) : (
        <Table<AuditEntry>
          data-testid="audit-table"
          rowKey="id"
          size="middle"
          loading={log.isFetching}
          dataSource={log.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{
            emptyText: <EmptyState description={filtered ? t('audit.empty') : t('audit.emptyAll')} />,
          }}
          expandable={{ expandedRowRender: (entry) => <DetailsView entry={entry} /> }}
          pagination={{
            current: page,
            pageSize,
            total: log.data?.total ?? 0,
            pageSizeOptions: PAGE_SIZES,
            showSizeChanger: true,
            showTotal: (count) => t('audit.total', { count }),
            onChange: (nextPage, nextSize) => {
              const next = new URLSearchParams(params);
              next.set('page', String(nextSize !== pageSize ? 1 : nextPage));
              next.set('pageSize', String(nextSize));
              setParams(next, { replace: true });
            },
          }}
          columns={[
            {
              title: t('audit.at'),
              dataIndex: 'at',
              width: 160,
              render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(at, lang)}</span>,
            },
            { title: t('audit.actor'), dataIndex: 'actor', width: 140, ellipsis: true },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 190,
              render: (action: string) => (
                <Tag color={actionColor(action)} data-action={action}>
                  {actionName(action, t)}
                </Tag>
              ),
            },
            { title: t('audit.target'), key: 'target', width: 200, render: (_, e) => <Target entry={e} /> },
            {
              title: t('audit.summary'),
              key: 'summary',
              ellipsis: true,
              render: (_, e) => describeEntry(e, t) || <Typography.Text type="secondary">—</Typography.Text>,
            },
          ]}
        />
      )}
    </Card>
  );
}
