import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorSentence } from '../../api/errors.ts';
import { EmptyState, ErrorText, QueryState } from '../../components/page-states.tsx';
import { OneTimeSecret } from './one-time-secret.tsx';
import {
  type ApiToken,
  formatInstant,
  type Role,
  useCreateToken,
  useRevokeToken,
  useTokens,
} from './use-settings.ts';
import { useRoleOptions } from './user-dialogs.tsx';

const EXPIRY_DAYS = [30, 90, 365];

function Nowrap({ children }: { children: ReactNode }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}

function statusOf(token: ApiToken): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

type NewToken = { name: string; role: Role; days: number };

function CreateTokenModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const [form] = Form.useForm<NewToken>();
  const create = useCreateToken();
  const roleOptions = useRoleOptions();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);

  const submit = async ({ name, role, days }: NewToken) => {
    const expiresAt = days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined;
    const token = await create.mutateAsync({ name: name.trim(), role, expiresAt });
    setCreated({ name: token.name, token: token.token });
    onClose();
  };

  return (
    <>
      <Modal
        open={open}
        title={t('tokens.createTitle')}
        okText={t('tokens.create')}
        cancelText={t('common:cancel')}
        okButtonProps={{ loading: create.isPending, id: 'add-token-submit' }}
        onOk={() => form.submit()}
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
          initialValues={{ role: 'analyst', days: 90 }}
          onFinish={(v) => void submit(v).catch(() => {})}
          preserve={false}
        >
          <Form.Item
            name="name"
            label={t('tokens.name')}
            rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}
          >
            <Input placeholder={t('tokens.namePlaceholder')} maxLength={100} />
          </Form.Item>
          <Form.Item name="role" label={t('tokens.role')} rules={[{ required: true }]}>
            <Select options={roleOptions} optionLabelProp="title" />
          </Form.Item>
          <Form.Item name="days" label={t('tokens.expiry')}>
            <Select
              options={[
                ...EXPIRY_DAYS.map((d) => ({ value: d, label: t('tokens.expiryDays', { count: d }) })),
                { value: 0, label: t('tokens.expiryNever') },
              ]}
            />
          </Form.Item>
          <ErrorText error={create.error} />
        </Form>
      </Modal>
      <OneTimeSecret
        open={created !== null}
        title={t('tokens.createdTitle', { name: created?.name })}
        body={t('tokens.createdBody')}
        secret={created?.token ?? ''}
        onClose={() => setCreated(null)}
      />
    </>
  );
}

export function TokensTab() {
  const { t, i18n } = useTranslation('settings');
  const { modal, message } = App.useApp();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const lang = i18n.language;

  const confirmRevoke = (token: ApiToken) =>
    modal.confirm({
      title: t('tokens.revokeTitle', { name: token.name }),
      content: t('tokens.revokeBody'),
      okText: t('tokens.revoke'),
      okButtonProps: { danger: true },
      cancelText: t('common:cancel'),
      onOk: () =>
        revoke
          .mutateAsync(token.id)
          .then(() => message.success(t('tokens.revokedOk', { name: token.name })))
          .catch((e) => message.error(errorSentence(e, t, lang), 6)),
    });

  return (
    <Card
      title={t('tokens.heading')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="add-token"
        >
          {t('tokens.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <QueryState query={tokens}>
        {({ items }) => (
          <Table<ApiToken>
            data-testid="tokens-table"
            rowKey="id"
            dataSource={items}
            pagination={items.length > 20 ? { pageSize: 20 } : false}
            scroll={{ x: 960 }}
            locale={{ emptyText: <EmptyState description={t('tokens.empty')} /> }}
            columns={[
              {
                title: t('tokens.name'),
                dataIndex: 'name',
                render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
              },
              {
                title: t('tokens.role'),
                dataIndex: 'role',
                render: (r: string) => <Tag color="geekblue">{t(`common:role.${r}`)}</Tag>,
              },
              {
                title: t('tokens.status'),
                key: 'status',
                render: (_, token) => {
                  const status = statusOf(token);
                  const color = { active: 'green', revoked: 'default', expired: 'orange' }[status];
                  return <Tag color={color}>{t(`tokens.${status}`)}</Tag>;
                },
              },
              { title: t('tokens.createdBy'), dataIndex: 'createdBy' },
              {
                title: t('tokens.createdAt'),
                dataIndex: 'createdAt',
                render: (v: string) => <Nowrap>{formatInstant(v, lang)}</Nowrap>,
              },
              {
                title: t('tokens.expiresAt'),
                dataIndex: 'expiresAt',
                render: (v: string | null) => (
                  <Nowrap>{v ? formatInstant(v, lang) : t('tokens.noExpiry')}</Nowrap>
                ),
              },
              {
                title: t('tokens.lastUsed'),
                dataIndex: 'lastUsedAt',
                render: (v: string | null) =>
                  v ? (
                    <Nowrap>{formatInstant(v, lang)}</Nowrap>
                  ) : (
                    <Typography.Text type="secondary">{t('tokens.neverUsed')}</Typography.Text>
                  ),
              },
              {
                title: t('common:actions'),
                key: 'actions',
                fixed: 'right',
                width: 90,
                render: (_, token) =>
                  statusOf(token) === 'active' ? (
                    <Button type="link" size="small" danger onClick={() => confirmRevoke(token)}>
                      {t('tokens.revoke')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </QueryState>
      <CreateTokenModal open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
