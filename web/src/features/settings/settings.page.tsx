import {
  ApiOutlined,
  AuditOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Button, Result, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useMe } from '../../api/session.ts';
import { Loading } from '../../components/page-states.tsx';
import { AuditTab } from './audit-tab.tsx';
import { PrivacyTab } from './privacy-tab.tsx';
import { ProfileTab } from './profile-tab.tsx';
import { TokensTab } from './tokens-tab.tsx';
import { UsersTab } from './users-tab.tsx';

type TabKey = 'users' | 'tokens' | 'audit' | 'privacy' | 'profile';

/** Each tab and the permission it needs; the server checks the same ones on every call. */
const TABS: { key: TabKey; action?: string; icon: ReactNode }[] = [
  { key: 'users', action: 'users.manage', icon: <TeamOutlined /> },
  { key: 'tokens', action: 'users.manage', icon: <ApiOutlined /> },
  { key: 'audit', action: 'audit.read', icon: <AuditOutlined /> },
  { key: 'privacy', action: 'privacy.manage', icon: <SafetyCertificateOutlined /> },
  { key: 'profile', icon: <IdcardOutlined /> },
];

function TabContent({ tab }: { tab: TabKey }) {
  switch (tab) {
    case 'users':
      return <UsersTab />;
    case 'tokens':
      return <TokensTab />;
    case 'audit':
      return <AuditTab />;
    case 'privacy':
      return <PrivacyTab />;
    case 'profile':
      return <ProfileTab />;
  }
}

export default function SettingsPage() {
  const { t } = useTranslation('settings');
  const { tab } = useParams();
  const navigate = useNavigate();
  const me = useMe();
  if (!me.data) return <Loading />;
  const permissions = me.data.permissions;
  const visible = TABS.filter((k) => !k.action || permissions.includes(k.action));
  if (!tab) return <Navigate to={`/settings/${visible[0].key}`} replace />;
  const known = TABS.find((k) => k.key === tab);
  const allowed = visible.some((k) => k.key === tab);

  let body: ReactNode;
  if (!known) {
    body = (
      <Result
        status="404"
        title={t('unknownTab', { tab })}
        extra={<Button onClick={() => navigate('/settings/profile')}>{t('noPermission.back')}</Button>}
      />
    );
  } else if (!allowed) {
    body = (
      <Result
        status="403"
        data-testid="settings-no-permission"
        title={t('noPermission.title')}
        subTitle={t('noPermission.body', {
          tab: t(`tabs.${known.key}`),
          role: t(`common:role.${me.data.role}`),
        })}
        extra={
          <Button type="primary" onClick={() => navigate('/settings/profile')}>
            {t('noPermission.back')}
          </Button>
        }
      />
    );
  } else {
    body = <TabContent tab={known.key} />;
  }

  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Title level={3} style={{ marginBottom: 4 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
      <Tabs
        data-testid="settings-tabs"
        activeKey={allowed ? tab : undefined}
        onChange={(key) => navigate(`/settings/${key}`)}
        items={visible.map((k) => ({
          key: k.key,
          label: (
            <span data-testid={`settings-tab-${k.key}`}>
              {k.icon} {t(`tabs.${k.key}`)}
            </span>
          ),
        }))}
      />
      {body}
    </div>
  );
}
