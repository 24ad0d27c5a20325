import { CloudUploadOutlined, PartitionOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Row, Skeleton, Space, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorSentence } from '../../api/errors.ts';
import { useCan } from '../../api/session.ts';
import { useRunClassification } from './use-dashboard.ts';

/** Placeholder cards in the shape of the dashboard while it loads. */
export function DashboardSkeleton() {
  return (
    <div data-testid="dashboard-loading" aria-busy="true">
      <Row gutter={[16, 16]}>
        {[0, 1, 2, 3, 4].map((i) => (
          <Col key={i} flex="1 1 190px">
            <Card styles={{ body: { padding: '16px 20px' } }}>
              <Skeleton active title={false} paragraph={{ rows: 2 }} />
            </Card>
          </Col>
        ))}
        {[0, 1, 2, 3].map((i) => (
          <Col key={`chart-${i}`} xs={24} lg={12}>
            <Card>
              <Skeleton active paragraph={{ rows: 7 }} />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}

/** A database without customers: what to do first, in three steps. */
export function NoCustomers({ scope }: { scope: 'all' | 'own' }) {
  const { t } = useTranslation('dashboard');
  const can = useCan();
  const navigate = useNavigate();
  if (scope === 'own') {
    return (
      <Card data-testid="dashboard-empty">
        <div style={{ padding: '48px 0', textAlign: 'center' }}>
          <Typography.Title level={4}>{t('empty.ownTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('empty.ownText')}</Typography.Paragraph>
        </div>
      </Card>
    );
  }
  return (
    <Card data-testid="dashboard-empty">
      <div style={{ maxWidth: 760, margin: '0 auto', padding: '40px 0 32px', textAlign: 'center' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('empty.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 15 }}>
          {t('empty.text')}
        </Typography.Paragraph>
        <Steps
          style={{ margin: '32px 0', textAlign: 'left' }}
          current={0}
          items={[
            { title: t('empty.step1'), content: t('empty.step1Text'), icon: <CloudUploadOutlined /> },
            { title: t('empty.step2'), content: t('empty.step2Text'), icon: <PartitionOutlined /> },
            { title: t('empty.step3'), content: t('empty.step3Text'), icon: <PlayCircleOutlined /> },
          ]}
        />
        {can('imports.run') ? (
          <Button
            type="primary"
            size="large"
            icon={<CloudUploadOutlined />}
            data-testid="empty-import-link"
            onClick={() => navigate('/imports')}
          >
            {t('empty.importButton')}
          </Button>
        ) : (
          <Typography.Paragraph>{t('empty.askAdmin')}</Typography.Paragraph>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 24, fontSize: 13 }}>
          {t('empty.demoHint')} <Typography.Text code>npx kelei demo</Typography.Text>{' '}
          <Typography.Text code>npx kelei classify</Typography.Text>
        </Typography.Paragraph>
      </div>
    </Card>
  );
}

/** Customers exist but no scheme has classified them yet. */
export function NotClassified() {
  const { t, i18n } = useTranslation('dashboard');
  const can = useCan();
  const run = useRunClassification();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const classify = () =>
    run.mutate(undefined, {
      onSuccess: () => void message.success(t('notClassified.done')),
      onError: (error) => void message.error(errorSentence(error, t, i18n.language)),
    });
  return (
    <Card data-testid="dashboard-not-classified">
      <div style={{ padding: '32px 0', textAlign: 'center' }}>
        <PartitionOutlined style={{ fontSize: 40, color: '#1677ff' }} />
        <Typography.Title level={4}>{t('notClassified.title')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ maxWidth: 560, margin: '0 auto 20px' }}>
          {t('notClassified.text')}
        </Typography.Paragraph>
        <Space wrap style={{ justifyContent: 'center' }}>
          {can('classification.run') ? (
            <Button type="primary" icon={<PlayCircleOutlined />} loading={run.isPending} onClick={classify}>
              {t('notClassified.run')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('notClassified.askAdmin')}</Typography.Text>
          )}
          <Button onClick={() => navigate('/schemes')}>{t('notClassified.schemes')}</Button>
        </Space>
      </div>
    </Card>
  );
}
