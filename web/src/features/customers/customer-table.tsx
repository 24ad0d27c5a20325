import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Popover, Table, type TableProps, Tag, Typography } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatFen, useBilingual } from '../../components/bilingual.ts';
import { type CustomerFilters, PAGE_SIZES } from './customer-filters.ts';
import type { CustomerListItem, CustomerPage, Scheme } from './customer-types.ts';

const STORAGE_KEY = 'kelei.customers.columns';

type Column = NonNullable<TableProps<CustomerListItem>['columns']>[number] & { key: string };

/** Columns shown until the user chooses otherwise; class columns are `class:<scheme>`. */
const DEFAULT_COLUMNS = [
  'code',
  'name',
  'class:value_tier',
  'class:lifecycle',
  'region',
  'phone',
  'orderCount',
  'totalAmount',
  'lastOrderDate',
];

function storedColumns(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(parsed) && parsed.every((k) => typeof k === 'string')) return parsed;
  } catch {
    // A damaged entry falls back to the defaults.
  }
  return DEFAULT_COLUMNS;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/** The server-side sorted, paged customers table with a column chooser remembered in this browser. */
export function CustomerTable({
  page,
  loading,
  filters,
  schemes,
  onChange,
}: {
  page: CustomerPage | undefined;
  loading: boolean;
  filters: CustomerFilters;
  schemes: Scheme[];
  onChange: (change: Partial<CustomerFilters>) => void;
}) {
  const { t } = useTranslation('customers');
  const pick = useBilingual();
  const [visible, setVisible] = useState<string[]>(storedColumns);
  const choose = (keys: string[]) => {
    setVisible(keys);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keys));
  };

  const sort = filters.sort;
  const columns: Column[] = useMemo(() => {
    const sortable = (field: string) => {
      const order: SortOrder =
        sort?.replace(/^-/, '') === field ? (sort.startsWith('-') ? 'descend' : 'ascend') : null;
      return { sorter: true, sortOrder: order, showSorterTooltip: false };
    };
    const money = (fen: number | null | undefined) =>
      fen === undefined ? '—' : formatFen(fen, { decimals: 0 });
    const all: Column[] = [
      {
        key: 'code',
        dataIndex: 'code',
        title: t('columns.code'),
        fixed: 'left',
        width: 116,
        ...sortable('code'),
        render: (code: string) => (
          <Link to={`/customers/${encodeURIComponent(code)}`} data-testid="customer-link">
            {code}
          </Link>
        ),
      },
      {
        key: 'name',
        dataIndex: 'name',
        title: t('columns.name'),
        width: 160,
        ellipsis: true,
        ...sortable('name'),
        render: (name: string | null, row) => (
          <Link to={`/customers/${encodeURIComponent(row.code)}`} style={{ color: 'inherit' }}>
            {name ?? '—'}
          </Link>
        ),
      },
      ...schemes.map(
        (s): Column => ({
          key: `class:${s.key}`,
          title: pick(s.name),
          width: 116,
          render: (_: unknown, row) => {
            const key = row.classes[s.key];
            if (!key) return <Typography.Text type="secondary">—</Typography.Text>;
            const c = s.classes.find((x) => x.key === key);
            return (
              <Tag color={c?.color} style={{ marginInlineEnd: 0 }}>
                {c ? pick(c.name) : key}
              </Tag>
            );
          },
        }),
      ),
      {
        key: 'kind',
        dataIndex: 'kind',
        title: t('columns.kind'),
        width: 80,
        render: (k: string) => t(`kind.${k}`, k),
      },
      {
        key: 'region',
        dataIndex: 'region',
        title: t('columns.region'),
        width: 90,
        ...sortable('region'),
        render: (v) => v ?? '—',
      },
      {
        key: 'city',
        dataIndex: 'city',
        title: t('columns.city'),
        width: 90,
        ...sortable('city'),
        render: (v) => v ?? '—',
      },
      {
        key: 'phone',
        dataIndex: 'phone',
        title: t('columns.phone'),
        width: 124,
        render: (v: string | null) => <span data-testid="customer-phone">{v ?? '—'}</span>,
      },
      {
        key: 'email',
        dataIndex: 'email',
        title: t('columns.email'),
        width: 190,
        ellipsis: true,
        render: (v) => v ?? '—',
      },
      {
        key: 'owner',
        title: t('columns.owner'),
        width: 110,
        render: (_: unknown, row) =>
          row.owner ? (
            (row.owner.displayName ?? row.owner.username)
          ) : (
            <Typography.Text type="secondary">{t('unowned')}</Typography.Text>
          ),
      },
      {
        key: 'orderCount',
        title: t('columns.orderCount'),
        align: 'right',
        // 累计消费次数 and a sort arrow on one line
        width: 130,
        ...sortable('order_count'),
        render: (_: unknown, row) => row.metrics?.orderCount ?? '—',
      },
      {
        key: 'totalAmount',
        title: t('columns.totalAmount'),
        align: 'right',
        width: 130,
        ...sortable('total_amount'),
        render: (_: unknown, row) => money(row.metrics?.totalAmount),
      },
      {
        key: 'totalAmount365d',
        title: t('columns.totalAmount365d'),
        align: 'right',
        width: 130,
        ...sortable('total_amount_365d'),
        render: (_: unknown, row) => money(row.metrics?.totalAmount365d),
      },
      {
        key: 'avgOrderAmount',
        title: t('columns.avgOrderAmount'),
        align: 'right',
        width: 110,
        ...sortable('avg_order_amount'),
        render: (_: unknown, row) => money(row.metrics?.avgOrderAmount ?? undefined),
      },
      {
        key: 'lastOrderDate',
        title: t('columns.lastOrderDate'),
        width: 120,
        ...sortable('last_order_date'),
        render: (_: unknown, row) => day(row.metrics?.lastOrderDate ?? null),
      },
      {
        key: 'recencyDays',
        title: t('columns.recencyDays'),
        align: 'right',
        width: 110,
        ...sortable('recency_days'),
        render: (_: unknown, row) =>
          row.metrics?.recencyDays === null || row.metrics === null
            ? '—'
            : t('days', { count: row.metrics.recencyDays }),
      },
      {
        key: 'createdAt',
        dataIndex: 'createdAt',
        title: t('columns.createdAt'),
        width: 120,
        ...sortable('created_at'),
        render: day,
      },
      {
        key: 'updatedAt',
        dataIndex: 'updatedAt',
        title: t('columns.updatedAt'),
        width: 120,
        ...sortable('updated_at'),
        render: day,
      },
    ];
    return all;
  }, [t, pick, schemes, sort]);

  const shown = columns.filter((c) => c.key === 'code' || visible.includes(c.key));
  const chooser = (
    <div data-testid="column-chooser" style={{ maxHeight: 360, overflowY: 'auto', minWidth: 180 }}>
      <Checkbox.Group value={visible} onChange={(keys) => choose(keys as string[])}>
        <Flex vertical gap={6}>
          {columns
            .filter((c) => c.key !== 'code')
            .map((c) => (
              <Checkbox key={c.key} value={c.key}>
                {c.title as string}
              </Checkbox>
            ))}
        </Flex>
      </Checkbox.Group>
      <Button
        type="link"
        size="small"
        style={{ padding: 0, marginTop: 8 }}
        onClick={() => choose(DEFAULT_COLUMNS)}
      >
        {t('columns.reset')}
      </Button>
    </div>
  );

  return (
    <Table<CustomerListItem>
      data-testid="customer-table"
      rowKey="code"
      size="middle"
      columns={shown}
      dataSource={page?.items ?? []}
      loading={loading}
      scroll={{ x: 'max-content' }}
      title={() => (
        <Flex justify="space-between" align="center">
          <Typography.Text data-testid="customer-total" strong>
            {page ? t('total', { count: page.total }) : '\u00a0'}
          </Typography.Text>
          <Popover content={chooser} trigger="click" placement="bottomRight" title={t('columns.chooser')}>
            <Button icon={<SettingOutlined />} data-testid="column-chooser-button">
              {t('columns.chooser')}
            </Button>
          </Popover>
        </Flex>
      )}
      pagination={{
        current: filters.page,
        pageSize: filters.size,
        total: page?.total ?? 0,
        pageSizeOptions: PAGE_SIZES,
        showSizeChanger: true,
        showTotal: (total, [from, to]) => t('range', { from, to, total }),
      }}
      onChange={(pagination, _filters, sorter, extra) => {
        if (extra.action === 'sort') {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const column = columns.find((c) => c.key === s.columnKey);
          const field = column ? sortFieldOf(column.key) : undefined;
          onChange({ sort: s.order && field ? `${s.order === 'descend' ? '-' : ''}${field}` : undefined });
          return;
        }
        if (pagination.pageSize !== filters.size)
          onChange({ size: pagination.pageSize ?? filters.size, page: 1 });
        else onChange({ page: pagination.current ?? 1 });
      }}
    />
  );
}

/** The API's sort key of a column. */
function sortFieldOf(columnKey: string): string | undefined {
  const map: Record<string, string> = {
    code: 'code',
    name: 'name',
    region: 'region',
    city: 'city',
    orderCount: 'order_count',
    totalAmount: 'total_amount',
    totalAmount365d: 'total_amount_365d',
    avgOrderAmount: 'avg_order_amount',
    lastOrderDate: 'last_order_date',
    recencyDays: 'recency_days',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  };
  return map[columnKey];
}
