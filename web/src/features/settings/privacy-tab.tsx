import { DeleteOutlined, DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  List,
  Modal,
  Result,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import type { CustomerDetail, Erasure as EraseResult } from '../../api/contract.ts';
import { errorSentence } from '../../api/errors.ts';
import { useCan } from '../../api/session.ts';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/page-states.tsx';
import { useCustomerDetail } from '../customers/use-customers.ts';
import { actionColor, actionName, describeEntry } from './audit-labels.ts';
import { formatInstant, useAuditLog, useInvalidateAudit } from './use-settings.ts';

/** Same rule as the server's file name, so the saved file matches what a plain link would give. */
function exportFileName(code: string): string {
  return `customer-${code.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}

function download(name: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function EraseDialog({
  code,
  open,
  onClose,
  onErased,
}: {
  code: string;
  open: boolean;
  onClose: () => void;
  onErased: (result: EraseResult) => void;
}) {
  const { t } = useTranslation('settings');
  const [typed, setTyped] = useState('');
  const erase = useMutation({
    mutationFn: () => api('POST /customers/:code/erase', { params: { code } }),
    onSuccess: (result) => {
      setTyped('');
      onErased(result);
    },
  });
  const matches = typed.trim() === code;
  return (
    <Modal
      open={open}
      title={
        <Space>
          <DeleteOutlined style={{ color: '#ff4d4f' }} />
          {t('privacy.confirmTitle', { code })}
        </Space>
      }
      okText={t('privacy.confirmButton')}
      cancelText={t('common:cancel')}
      okButtonProps={{
        danger: true,
        disabled: !matches,
        loading: erase.isPending,
        id: 'erase-confirm',
      }}
      onOk={() => erase.mutate()}
      onCancel={() => {
        // Cleared on the way out, so the next opening starts empty even while it animates in.
        setTyped('');
        erase.reset();
        onClose();
      }}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="error" showIcon title={t('privacy.confirmWarning')} />
        <Typography.Paragraph style={{ margin: 0 }}>{t('privacy.eraseBody')}</Typography.Paragraph>
        <Typography.Text strong>{t('privacy.confirmPrompt', { code })}</Typography.Text>
        <Input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder={code}
          autoComplete="off"
          status={typed && !matches ? 'error' : undefined}
          data-testid="erase-confirm-code"
          onPressEnter={() => matches && erase.mutate()}
        />
        {typed && !matches ? (
          <Typography.Text type="danger">{t('privacy.confirmMismatch')}</Typography.Text>
        ) : null}
        <ErrorText error={erase.error} />
      </Space>
    </Modal>
  );
}

function AuditTrail({ code }: { code: string }) {
  const { t, i18n } = useTranslation('settings');
  const trail = useAuditLog({ entity: 'customer', entityId: code }, 1, 10);
  if (trail.isPending) return <Loading />;
  if (trail.error) return <ErrorState error={trail.error} onRetry={() => trail.refetch()} />;
  return (
    <List
      data-testid="privacy-audit-trail"
      size="small"
      dataSource={trail.data?.items ?? []}
      locale={{ emptyText: <EmptyState description={t('privacy.trailEmpty')} /> }}
      renderItem={(e) => (
        <List.Item>
          <Space wrap size={8}>
            <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
              {formatInstant(e.at, i18n.language)}
            </Typography.Text>
            <Tag color={actionColor(e.action)}>{actionName(e.action, t)}</Tag>
            <Typography.Text>{e.actor}</Typography.Text>
            <Typography.Text type="secondary">{describeEntry(e, t)}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

function TrailCard({ code }: { code: string }) {
  const { t } = useTranslation('settings');
  return (
    <Card
      size="small"
      title={t('privacy.trail')}
      extra={
        <Link to={`/settings/audit?entity=customer&entityId=${encodeURIComponent(code)}`}>
          {t('privacy.openAudit')}
        </Link>
      }
    >
      <AuditTrail code={code} />
    </Card>
  );
}

/** What an erasure did; the customer itself is gone from every ordinary view. */
function EraseResultView({ result }: { result: EraseResult }) {
  const { t, i18n } = useTranslation('settings');
  const can = useCan();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Result
        status="success"
        data-testid="erase-result"
        style={{ padding: '24px 16px' }}
        title={t(result.alreadyErased ? 'privacy.resultAlready' : 'privacy.resultTitle', {
          code: result.code,
        })}
        subTitle={t('privacy.resultBody', {
          time: formatInstant(result.erasedAt, i18n.language),
          ...result.kept,
        })}
      />
      {result.purge === 'pending' ? (
        <Alert type="info" showIcon data-testid="erase-purge-pending" message={t('privacy.purgePending')} />
      ) : null}
      {can('audit.read') ? <TrailCard code={result.code} /> : null}
    </Space>
  );
}

function CustomerPanel({ detail, onErased }: { detail: CustomerDetail; onErased: (r: EraseResult) => void }) {
  const { t, i18n } = useTranslation('settings');
  const lang = i18n.language;
  const { message } = App.useApp();
  const can = useCan();
  const refreshAudit = useInvalidateAudit();
  const [erasing, setErasing] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const c = detail.customer;
  const exportData = useMutation({
    mutationFn: () => api('GET /customers/:code/privacy-export', { params: { code: c.code } }),
    onSuccess: (data) => {
      const file = exportFileName(c.code);
      download(file, data);
      setExported(file);
      refreshAudit();
    },
    onError: (e) => message.error(errorSentence(e, t, lang), 6),
  });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="privacy-customer">
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          {
            key: 'code',
            label: t('privacy.customer'),
            children: <Link to={`/customers/${encodeURIComponent(c.code)}`}>{c.code}</Link>,
          },
          { key: 'name', label: t('privacy.name'), children: c.name ?? '—' },
          { key: 'phone', label: t('privacy.phone'), children: c.phone ?? '—' },
          { key: 'email', label: t('privacy.email'), children: c.email ?? '—' },
          {
            key: 'region',
            label: t('privacy.region'),
            children: [c.region, c.city].filter(Boolean).join(' · ') || '—',
          },
          { key: 'orders', label: t('privacy.orders'), children: detail.counts.orders },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('privacy.exportTitle')} style={{ height: '100%' }}>
            <Typography.Paragraph type="secondary">{t('privacy.exportBody')}</Typography.Paragraph>
            <Button
              icon={<DownloadOutlined />}
              loading={exportData.isPending}
              onClick={() => exportData.mutate()}
              data-testid="privacy-export"
            >
              {t('privacy.exportButton')}
            </Button>
            {exported ? (
              <Alert
                style={{ marginTop: 12 }}
                type="success"
                showIcon
                title={t('privacy.exported', { file: exported })}
              />
            ) : null}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('privacy.eraseTitle')} style={{ height: '100%' }}>
            <Typography.Paragraph type="secondary">{t('privacy.eraseBody')}</Typography.Paragraph>
            <Button
              danger
              icon={<DeleteOutlined />}
              onClick={() => setErasing(true)}
              data-testid="privacy-erase"
            >
              {t('privacy.eraseButton')}
            </Button>
          </Card>
        </Col>
      </Row>
      {can('audit.read') ? <TrailCard code={c.code} /> : null}
      <EraseDialog
        code={c.code}
        open={erasing}
        onClose={() => setErasing(false)}
        onErased={(r) => {
          setErasing(false);
          refreshAudit();
          onErased(r);
        }}
      />
    </Space>
  );
}

export function PrivacyTab() {
  const { t } = useTranslation('settings');
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const code = params.get('code')?.trim() ?? '';
  const [text, setText] = useState(code);
  const [result, setResult] = useState<EraseResult | null>(null);

  const customer = useCustomerDetail(code, { enabled: code !== '' && result?.code !== code });

  const find = (value: string) => {
    setResult(null);
    const next = new URLSearchParams(params);
    if (value.trim()) next.set('code', value.trim());
    else next.delete('code');
    setParams(next, { replace: true });
  };

  const notFound = customer.error instanceof ApiError && customer.error.status === 404;
  let body: ReactNode;
  if (code === '') body = <EmptyState description={t('privacy.start')} />;
  else if (result && result.code === code) body = <EraseResultView result={result} />;
  else if (customer.isPending) body = <Loading />;
  else if (notFound)
    body = (
      <Alert
        type="warning"
        showIcon
        title={t('privacy.notFound', { code })}
        data-testid="privacy-not-found"
      />
    );
  else if (customer.error || !customer.data)
    body = <ErrorState error={customer.error} onRetry={() => customer.refetch()} />;
  else
    body = (
      <CustomerPanel
        key={customer.data.customer.code}
        detail={customer.data}
        onErased={(r) => {
          setResult(r);
          // Other pages must not keep showing the erased customer from their caches.
          client.removeQueries({ queryKey: ['customers', 'detail', code] });
          void client.invalidateQueries({ queryKey: ['customers'] });
        }}
      />
    );

  return (
    <Card title={t('privacy.heading')}>
      <Typography.Paragraph type="secondary">{t('privacy.intro')}</Typography.Paragraph>
      <Input.Search
        style={{ maxWidth: 440, marginBottom: 16 }}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={find}
        placeholder={t('privacy.findPlaceholder')}
        aria-label={t('privacy.find')}
        enterButton={
          <Button type="primary" icon={<SearchOutlined />}>
            {t('privacy.findButton')}
          </Button>
        }
        data-testid="privacy-code"
      />
      {body}
    </Card>
  );
}
