import {
  CloudUploadOutlined,
  DashboardOutlined,
  LogoutOutlined,
  PartitionOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Dropdown, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { type Me, useSignOut } from '../api/session.ts';
import { Loading } from '../components/page-states.tsx';
import { type Language, localeOfLanguage, setLanguage } from '../i18n/index.ts';

const { Header, Sider, Content } = Layout;

type NavItem = { key: string; path: string; icon: React.ReactNode; label: string; action?: string };

/** The frame of every signed-in page: navigation, the user and role, the language switch. */
export function AppLayout({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const language: Language = i18n.language.startsWith('en') ? 'en' : 'zh';

  const items: NavItem[] = [
    {
      key: 'dashboard',
      path: '/',
      icon: <DashboardOutlined />,
      label: t('nav.dashboard'),
      action: 'dashboard.read',
    },
    {
      key: 'customers',
      path: '/customers',
      icon: <TeamOutlined />,
      label: t('nav.customers'),
      action: 'customers.read',
    },
    {
      key: 'imports',
      path: '/imports',
      icon: <CloudUploadOutlined />,
      label: t('nav.imports'),
      action: 'imports.run',
    },
    {
      key: 'schemes',
      path: '/schemes',
      icon: <PartitionOutlined />,
      label: t('nav.schemes'),
      action: 'schemes.read',
    },
    { key: 'settings', path: '/settings', icon: <SettingOutlined />, label: t('nav.settings') },
  ];
  const visible = items.filter((i) => !i.action || me.permissions.includes(i.action));
  const selected =
    visible.find((i) => i.path !== '/' && location.pathname.startsWith(i.path))?.key ??
    (location.pathname === '/' ? 'dashboard' : '');

  const switchLanguage = async (next: Language) => {
    await setLanguage(next);
    // Remembered per user on the server, so the next sign-in anywhere opens in this language.
    await api('PATCH /auth/me/locale', { body: { locale: localeOfLanguage(next) } }).catch(() => {});
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={64} width={200} theme="dark">
        <Link
          to="/"
          style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '16px 20px', color: '#fff' }}
        >
          <span style={{ fontSize: 20, fontWeight: 700 }}>{t('appName')}</span>
          <span style={{ fontSize: 12, opacity: 0.65, whiteSpace: 'nowrap', overflow: 'hidden' }}>
            {t('appTagline')}
          </span>
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={visible.map((i) => ({
            key: i.key,
            icon: i.icon,
            label: <Link to={i.path}>{i.label}</Link>,
          }))}
        />
      </Sider>
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: 16,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Segmented
            aria-label={t('language')}
            data-testid="language-switch"
            size="small"
            value={language}
            onChange={(v) => void switchLanguage(v as Language)}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'English', value: 'en' },
            ]}
          />
          <Dropdown
            menu={{
              items: [{ key: 'signout', icon: <LogoutOutlined />, label: t('signOut') }],
              onClick: async () => {
                await signOut();
                navigate('/login');
              },
            }}
          >
            <Space style={{ cursor: 'pointer' }} data-testid="current-user">
              <Avatar size="small" icon={<UserOutlined />} />
              <Typography.Text>{me.displayName ?? me.username}</Typography.Text>
              <Tag color="blue">{t(`role.${me.role}`)}</Tag>
            </Space>
          </Dropdown>
        </Header>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
