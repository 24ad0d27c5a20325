import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Row,
  Segmented,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ME_KEY, useMe } from '../../api/session.ts';
import { ErrorText, Loading } from '../../components/page-states.tsx';
import { type Language, localeOfLanguage, setLanguage } from '../../i18n/index.ts';
import { useChangeOwnPassword } from './use-settings.ts';

type PasswordForm = { currentPassword: string; newPassword: string; repeat: string };

function ChangePassword() {
  const { t } = useTranslation('settings');
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const change = useChangeOwnPassword();
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 420 }}
      onFinish={({ currentPassword, newPassword }) =>
        change.mutate(
          { currentPassword, newPassword },
          {
            onSuccess: () => {
              form.resetFields();
              message.success(t('profile.changed'));
            },
          },
        )
      }
    >
      <Form.Item
        name="currentPassword"
        label={t('profile.current')}
        rules={[{ required: true, message: t('profile.currentRequired') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('profile.next')}
        extra={t('profile.nextHelp')}
        rules={[{ required: true, min: 10, message: t('profile.nextRequired') }]}
      >
        <Input.Password autoComplete="new-password" data-testid="new-password" />
      </Form.Item>
      <Form.Item
        name="repeat"
        label={t('profile.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('profile.confirmMismatch') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('profile.confirmMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="repeat-password" />
      </Form.Item>
      <Space direction="vertical" style={{ width: '100%' }}>
        <ErrorText error={change.error} />
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('profile.submit')}
        </Button>
      </Space>
    </Form>
  );
}

export function ProfileTab() {
  const { t, i18n } = useTranslation('settings');
  const { message } = App.useApp();
  const client = useQueryClient();
  const me = useMe();
  if (!me.data) return <Loading />;
  const language: Language = i18n.language.startsWith('en') ? 'en' : 'zh';

  const switchLanguage = async (next: Language) => {
    await setLanguage(next);
    try {
      const locale = localeOfLanguage(next);
      await api('PATCH /auth/me/locale', { body: { locale } });
      client.setQueryData(ME_KEY, me.data ? { ...me.data, locale } : me.data);
      // The new language's sentence: `t` of this render still speaks the old one.
      message.success(i18n.t('settings:profile.languageSaved'));
    } catch {
      // The page already shows the language; remembering it is best effort, as in the header switch.
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card title={t('profile.heading')} style={{ height: '100%' }}>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'u', label: t('profile.username'), children: me.data.username },
              { key: 'n', label: t('profile.displayName'), children: me.data.displayName ?? '—' },
              {
                key: 'r',
                label: t('profile.role'),
                children: (
                  <Space direction="vertical" size={2}>
                    <Tag color="blue">{t(`common:role.${me.data.role}`)}</Tag>
                    <Typography.Text type="secondary">{t(`roles.summary.${me.data.role}`)}</Typography.Text>
                  </Space>
                ),
              },
              {
                key: 's',
                label: t('profile.scope'),
                children: me.data.scope === 'own' ? t('roles.scopeOwn') : t('roles.scopeAll'),
              },
              {
                key: 'l',
                label: t('profile.language'),
                children: (
                  <Space direction="vertical" size={4}>
                    <Segmented
                      data-testid="profile-language"
                      value={language}
                      onChange={(v) => void switchLanguage(v as Language)}
                      options={[
                        { label: '中文', value: 'zh' },
                        { label: 'English', value: 'en' },
                      ]}
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('profile.languageHelp')}
                    </Typography.Text>
                  </Space>
                ),
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('profile.permissions')}
          </Typography.Title>
          <Space wrap size={[6, 6]} data-testid="my-permissions">
            {me.data.permissions.map((p) => (
              <Tag key={p}>{t(`actions.${p}`, { defaultValue: p })}</Tag>
            ))}
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('profile.password')} style={{ height: '100%' }}>
          {me.data.kind === 'user' ? (
            <ChangePassword />
          ) : (
            <Typography.Text type="secondary">{t('profile.passwordToken')}</Typography.Text>
          )}
        </Card>
      </Col>
    </Row>
  );
}
