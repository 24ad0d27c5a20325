import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/page-states.tsx';
import { OneTimeSecret } from './one-time-secret.tsx';
import {
  generatePassword,
  ROLES,
  type Role,
  type User,
  type UserRecord,
  useCreateUser,
  useResetPassword,
  useUpdateUser,
} from './use-settings.ts';

const USERNAME = /^[\p{L}\p{N}_.@-]{2,64}$/u;

/** Role options with the one-line summary of what each may do. */
export function useRoleOptions() {
  const { t } = useTranslation('settings');
  return ROLES.map((r) => ({
    value: r,
    label: (
      <span>
        {t(`common:role.${r}`)}
        <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
          {t(`roles.summary.${r}`)}
        </Typography.Text>
      </span>
    ),
    title: t(`common:role.${r}`),
  }));
}

/** A password field that starts with a generated strong password, or lets the admin type one. */
function PasswordChoice({ setPassword }: { setPassword: (password: string) => void }) {
  const { t } = useTranslation('settings');
  const [mode, setMode] = useState<'generate' | 'type'>('generate');
  return (
    <>
      <Form.Item label={t('users.password')} style={{ marginBottom: 8 }}>
        <Radio.Group
          value={mode}
          onChange={(e) => {
            setMode(e.target.value);
            setPassword(e.target.value === 'generate' ? generatePassword() : '');
          }}
          options={[
            { value: 'generate', label: t('users.passwordGenerate') },
            { value: 'type', label: t('users.passwordType') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="password"
        help={mode === 'type' ? t('users.passwordHelp') : undefined}
        rules={[{ required: true, min: 10, message: t('users.passwordRequired') }]}
      >
        {mode === 'generate' ? (
          <Input
            readOnly
            data-testid="generated-password"
            style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}
            suffix={
              <Button
                type="text"
                size="small"
                icon={<ReloadOutlined />}
                aria-label={t('users.passwordGenerate')}
                onClick={() => setPassword(generatePassword())}
              />
            }
          />
        ) : (
          <Input.Password autoComplete="new-password" data-testid="typed-password" />
        )}
      </Form.Item>
    </>
  );
}

type NewUser = { username: string; displayName?: string; role: Role; password: string };

export function AddUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const [form] = Form.useForm<NewUser>();
  const create = useCreateUser();
  const [created, setCreated] = useState<{ name: string; password: string } | null>(null);
  const roleOptions = useRoleOptions();

  const submit = async (values: NewUser) => {
    const displayName = values.displayName?.trim() || undefined;
    const user = await create.mutateAsync({ ...values, username: values.username.trim(), displayName });
    setCreated({ name: user.displayName ?? user.username, password: values.password });
    onClose();
  };

  return (
    <>
      <Modal
        open={open}
        title={t('users.addTitle')}
        okText={t('users.create')}
        cancelText={t('common:cancel')}
        onOk={() => form.submit()}
        okButtonProps={{ loading: create.isPending, id: 'add-user-submit' }}
        onCancel={() => {
          create.reset();
          onClose();
        }}
        destroyOnHidden
        width={600}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ role: 'analyst', password: generatePassword() }}
          onFinish={(v) => void submit(v).catch(() => {})}
          preserve={false}
        >
          <Form.Item
            name="username"
            label={t('users.username')}
            extra={t('users.usernameHelp')}
            rules={[
              { required: true, message: t('users.usernameRequired') },
              { pattern: USERNAME, message: t('users.usernameInvalid') },
            ]}
          >
            <Input autoComplete="off" data-testid="new-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')}>
            <Input
              placeholder={t('users.displayNamePlaceholder')}
              maxLength={100}
              data-testid="new-display-name"
            />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
            <Select options={roleOptions} optionLabelProp="title" data-testid="new-role" />
          </Form.Item>
          <PasswordChoice setPassword={(password) => form.setFieldsValue({ password })} />
          <ErrorText error={create.error} />
        </Form>
      </Modal>
      <OneTimeSecret
        open={created !== null}
        title={t('users.createdTitle', { name: created?.name })}
        body={t('users.createdBody', { name: created?.name })}
        secret={created?.password ?? ''}
        onClose={() => setCreated(null)}
      />
    </>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetPassword();
  const [done, setDone] = useState<{ name: string; password: string } | null>(null);
  const name = user ? (user.displayName ?? user.username) : '';

  const submit = async ({ password }: { password: string }) => {
    if (!user) return;
    await reset.mutateAsync({ id: user.id, password });
    setDone({ name, password });
    onClose();
  };

  return (
    <>
      <Modal
        open={user !== null}
        title={t('users.resetTitle', { name })}
        okText={t('users.resetSubmit')}
        okButtonProps={{ danger: true, loading: reset.isPending }}
        cancelText={t('common:cancel')}
        onOk={() => form.submit()}
        onCancel={() => {
          reset.reset();
          onClose();
        }}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={t('users.resetBody')} style={{ marginBottom: 16 }} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ password: generatePassword() }}
          onFinish={(v) => void submit(v).catch(() => {})}
          preserve={false}
        >
          <PasswordChoice setPassword={(password) => form.setFieldsValue({ password })} />
          <ErrorText error={reset.error} />
        </Form>
      </Modal>
      <OneTimeSecret
        open={done !== null}
        title={t('users.resetDoneTitle', { name: done?.name })}
        body={t('users.createdBody', { name: done?.name })}
        secret={done?.password ?? ''}
        onClose={() => setDone(null)}
      />
    </>
  );
}

export function ChangeRoleModal({
  user,
  isSelf,
  onClose,
  onChanged,
}: {
  user: User | null;
  isSelf: boolean;
  onClose: () => void;
  onChanged: (user: UserRecord) => void;
}) {
  const { t } = useTranslation('settings');
  const update = useUpdateUser();
  const [role, setRole] = useState<Role | undefined>();
  useEffect(() => setRole(user?.role), [user]);
  const roleOptions = useRoleOptions();
  const name = user ? (user.displayName ?? user.username) : '';

  return (
    <Modal
      open={user !== null}
      title={t('users.roleTitle', { name })}
      okText={t('common:confirm')}
      cancelText={t('common:cancel')}
      okButtonProps={{ disabled: !role || role === user?.role, loading: update.isPending }}
      onOk={async () => {
        if (!user || !role) return;
        const updated = await update
          .mutateAsync({ id: user.id, version: user.version, role })
          .catch(() => null);
        if (updated) onChanged(updated);
      }}
      onCancel={() => {
        update.reset();
        onClose();
      }}
      destroyOnHidden
      width={600}
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Select
          value={role}
          onChange={setRole}
          options={roleOptions}
          optionLabelProp="title"
          style={{ width: '100%' }}
          aria-label={t('users.roleNew')}
          data-testid="change-role-select"
        />
        <Alert type="info" showIcon title={isSelf ? t('users.roleSelfNote') : t('users.roleNote')} />
        <ErrorText error={update.error} />
      </Space>
    </Modal>
  );
}
