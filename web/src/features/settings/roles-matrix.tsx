import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/page-states.tsx';
import { type RolePolicy, useRoles } from './use-settings.ts';

/** Rows in the order an operations team thinks about them: reading, daily work, management. */
const ACTION_ORDER = [
  'dashboard.read',
  'customers.read',
  'orders.read',
  'interactions.read',
  'feedback.read',
  'schemes.read',
  'classification.read',
  'pii.view',
  'customers.write',
  'orders.write',
  'interactions.write',
  'feedback.write',
  'imports.run',
  'schemes.write',
  'classification.run',
  'exports.run',
  'audit.read',
  'users.manage',
  'privacy.manage',
  'customers.erase',
];

type Row = { key: string; label: string; cells: Record<string, boolean | string> };

/** The permission table as the server enforces it (GET /roles), one column per role. */
export function RolesMatrix() {
  const { t } = useTranslation('settings');
  const roles = useRoles();
  return (
    <QueryState query={roles}>
      {({ items }) => {
        const all = new Set(items.flatMap((r) => r.actions));
        const actions = [
          ...ACTION_ORDER.filter((a) => all.has(a)),
          ...[...all].filter((a) => !ACTION_ORDER.includes(a)),
        ];
        const rows: Row[] = [
          {
            key: 'scope',
            label: t('roles.scope'),
            cells: Object.fromEntries(
              items.map((r) => [r.role, r.scope === 'own' ? t('roles.scopeOwn') : t('roles.scopeAll')]),
            ),
          },
          ...actions.map((a) => ({
            key: a,
            label: t(`actions.${a}`, { defaultValue: a }),
            cells: Object.fromEntries(items.map((r: RolePolicy) => [r.role, r.actions.includes(a)])),
          })),
        ];
        return (
          <Table<Row>
            data-testid="roles-matrix"
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={rows}
            scroll={{ x: 760 }}
            columns={[
              {
                title: t('roles.capability'),
                dataIndex: 'label',
                fixed: 'left',
                width: 220,
                render: (label: string, row) =>
                  row.key === 'scope' ? <Typography.Text strong>{label}</Typography.Text> : label,
              },
              ...items.map((r) => ({
                title: (
                  <div>
                    <div>{t(`common:role.${r.role}`)}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                      {r.role}
                    </Typography.Text>
                  </div>
                ),
                key: r.role,
                align: 'center' as const,
                render: (_: unknown, row: Row) => {
                  const cell = row.cells[r.role];
                  if (typeof cell === 'string')
                    return <Tag color={cell === t('roles.scopeOwn') ? 'orange' : 'green'}>{cell}</Tag>;
                  return cell ? (
                    <CheckOutlined style={{ color: '#52c41a' }} aria-label="✓" />
                  ) : (
                    <MinusOutlined style={{ color: '#d9d9d9' }} aria-label="—" />
                  );
                },
              })),
            ]}
          />
        );
      }}
    </QueryState>
  );
}
