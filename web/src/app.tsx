import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { ApiError } from './api/client.ts';
import { ME_KEY, useMe } from './api/session.ts';
import { ErrorState, Loading, NotFoundPage } from './components/page-states.tsx';
import { languageOfLocale, setLanguage } from './i18n/index.ts';
import { AppLayout } from './layout/app-layout.tsx';

// Each page is its own chunk: the first load carries only the frame and the page opened.
const LoginPage = lazy(() => import('./features/login/login.page.tsx'));
const DashboardPage = lazy(() => import('./features/dashboard/dashboard.page.tsx'));
const CustomersPage = lazy(() => import('./features/customers/customers.page.tsx'));
const CustomerDetailPage = lazy(() => import('./features/customers/customer-detail.page.tsx'));
const ImportsPage = lazy(() => import('./features/imports/imports.page.tsx'));
const SchemesPage = lazy(() => import('./features/schemes/schemes.page.tsx'));
const SchemeDetailPage = lazy(() => import('./features/schemes/scheme-detail.page.tsx'));
const SettingsPage = lazy(() => import('./features/settings/settings.page.tsx'));

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    // An expired session anywhere sends the user back to the sign-in page.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(ME_KEY, null);
    },
  }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function SignedIn() {
  const me = useMe();
  const location = useLocation();
  const signedInLocale = me.data?.locale;
  useEffect(() => {
    if (signedInLocale) void setLanguage(languageOfLocale(signedInLocale));
  }, [signedInLocale]);
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <AppLayout me={me.data} />;
}

const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<Loading />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: <SignedIn />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/:code', element: <CustomerDetailPage /> },
      { path: 'imports', element: <ImportsPage /> },
      { path: 'schemes', element: <SchemesPage /> },
      { path: 'schemes/:key', element: <SchemeDetailPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'settings/:tab', element: <SettingsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#1677ff',
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
