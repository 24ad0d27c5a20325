import { LockOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorSentence } from '../../api/errors.ts';
import { useMe } from '../../api/session.ts';
import { EmptyState, QueryState } from '../../components/page-states.tsx';
import { RolesMatrix } from './roles-matrix.tsx';
import { formatInstant, ROLES, type User, useUnlockUser, useUpdateUser, useUsers } from './use-settings.ts';
import { AddUserModal, ChangeRoleModal, ResetPasswordModal } from './user-dialogs.tsx';

function StatusTag({ user }: { user: User }) {
  const { t, i18n } = useTranslation('settings');
  if (user.disabled) return <Tag>{t('users.disabled')}</Tag>;
  if (user.lockedUntil)
    return (
      <Tooltip title={t('users.lockedUntil', { time: formatInstant(user.lockedUntil, i18n.language) })}>
        <Tag color="orange" icon={<LockOutlined />}>
          {t('users.locked')}
        </Tag>
      </Tooltip>
    );
  return <Tag color="green">{t('users.enabled')}</Tag>;
}

export function UsersTab() {
  const { t, i18n } = useTranslation('settings');
  const { modal, message } = App.useApp();
  const me = useMe();
  const users = useUsers();
  const update = useUpdateUser();
  const unlock = useUnlockUser();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [changingRole, setChangingRole] = useState<User | null>(null);
  const nameOf = (u: Pick<User, 'displayName' | 'username'>) => u.displayName ?? u.username;
  const isSelf = (u: User) => u.username === me.data?.username;
  const fail = (e: unknown) => message.error(errorSentence(e, t, i18n.language), 6);

  const toggle = (u: User) => {
    const disabling = !u.disabled;
    modal.confirm({
      title: t(disabling ? 'users.disableTitle' : 'users.enableTitle', { name: nameOf(u) }),
      content: (
        <>
          <p>{t(disabling ? 'users.disableBody' : 'users.enableBody')}</p>
          {disabling && isSelf(u) ? (
            <Typography.Text type="danger">{t('users.disableSelf')}</Typography.Text>
          ) : null}
        </>
      ),
      okText: t(disabling ? 'users.disable' : 'users.enable'),
      okButtonProps: { danger: disabling },
      cancelText: t('common:cancel'),
      onOk: () =>
        update
          .mutateAsync({ id: u.id, version: u.version, disabled: disabling })
          .then(() =>
            message.success(t(disabling ? 'users.disabledOk' : 'users.enabledOk', { name: nameOf(u) })),
          )
          .catch(fail),
    });
  };

  const confirmUnlock = (u: User) =>
    modal.confirm({
      title: t('users.unlockTitle', { name: nameOf(u) }),
      content: t('users.unlockBody'),
      okText: t('users.unlock'),
      cancelText: t('common:cancel'),
      onOk: () =>
        unlock
          .mutateAsync(u.id)
          .then(() => message.success(t('users.unlockedOk', { name: nameOf(u) })))
          .catch(fail),
    });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('users.heading')}
        extra={
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            onClick={() => setAdding(true)}
            data-testid="add-user"
          >
            {t('users.add')}
          </Button>
        }
      >
        <QueryState query={users}>
          {({ items }) => (
            <Table<User>
              data-testid="users-table"
              rowKey="id"
              dataSource={items}
              pagination={items.length > 20 ? { pageSize: 20 } : false}
              scroll={{ x: 980 }}
              locale={{ emptyText: <EmptyState description={t('users.empty')} /> }}
              columns={[
                {
                  title: t('users.username'),
                  dataIndex: 'username',
                  render: (name: string, u) => (
                    <Space size={4}>
                      <Typography.Text strong={!u.disabled} type={u.disabled ? 'secondary' : undefined}>
                        {name}
                      </Typography.Text>
                      {isSelf(u) ? <Tag color="blue">{t('users.you')}</Tag> : null}
                    </Space>
                  ),
                },
                {
                  title: t('users.displayName'),
                  dataIndex: 'displayName',
                  render: (v: string | null) => v ?? '—',
                },
                {
                  title: t('users.role'),
                  dataIndex: 'role',
                  filters: ROLES.map((r) => ({ text: t(`common:role.${r}`), value: r })),
                  onFilter: (value, u) => u.role === value,
                  render: (role: string) => (
                    <Tag color={role === 'admin' ? 'volcano' : 'geekblue'}>{t(`common:role.${role}`)}</Tag>
                  ),
                },
                { title: t('users.status'), key: 'status', render: (_, u) => <StatusTag user={u} /> },
                {
                  title: t('users.lastLogin'),
                  dataIndex: 'lastLoginAt',
                  sorter: (a, b) => (a.lastLoginAt ?? '').localeCompare(b.lastLoginAt ?? ''),
                  render: (at: string | null) =>
                    at ? (
                      formatInstant(at, i18n.language)
                    ) : (
                      <Typography.Text type="secondary">{t('users.never')}</Typography.Text>
                    ),
                },
                {
                  title: t('common:actions'),
                  key: 'actions',
                  fixed: 'right',
                  width: 300,
                  render: (_, u) => (
                    <Space size={0} wrap>
                      <Button type="link" size="small" onClick={() => setChangingRole(u)}>
                        {t('users.changeRole')}
                      </Button>
                      <Button type="link" size="small" onClick={() => setResetting(u)}>
                        {t('users.resetPassword')}
                      </Button>
                      {u.lockedUntil && !u.disabled ? (
                        <Button type="link" size="small" onClick={() => confirmUnlock(u)}>
                          {t('users.unlock')}
                        </Button>
                      ) : null}
                      <Button
                        type="link"
                        size="small"
                        danger={!u.disabled}
                        onClick={() => toggle(u)}
                        data-testid={`toggle-${u.username}`}
                      >
                        {u.disabled ? t('users.enable') : t('users.disable')}
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>

      <Card title={t('roles.heading')}>
        <Typography.Paragraph type="secondary">{t('roles.intro')}</Typography.Paragraph>
        <Descriptions
          size="small"
          column={1}
          bordered
          style={{ marginBottom: 16 }}
          items={ROLES.map((r) => ({
            key: r,
            label: (
              <span style={{ whiteSpace: 'nowrap' }}>
                {t(`common:role.${r}`)} · {r}
              </span>
            ),
            children: t(`roles.summary.${r}`),
          }))}
        />
        <RolesMatrix />
      </Card>

      <AddUserModal open={adding} onClose={() => setAdding(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <ChangeRoleModal
        user={changingRole}
        isSelf={changingRole ? isSelf(changingRole) : false}
        onClose={() => setChangingRole(null)}
        onChanged={(u) => {
          setChangingRole(null);
          message.success(t('users.roleChangedOk', { name: nameOf(u), role: t(`common:role.${u.role}`) }));
        }}
      />
    </Space>
  );
}
