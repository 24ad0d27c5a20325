import { ArrowLeftOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Col, Flex, Result, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { formatFen, useBilingual } from '../../components/bilingual.ts';
import { ErrorState, Loading } from '../../components/page-states.tsx';
import { useSchemes } from '../schemes/use-schemes.ts';
import { CustomerActivities } from './customer-activities.tsx';
import { CustomerClassesCard } from './customer-classes-card.tsx';
import { CustomerEditDrawer } from './customer-edit-drawer.tsx';
import { CustomerMetricsCard } from './customer-metrics-card.tsx';
import { CustomerProfileCard } from './customer-profile-card.tsx';
import type { Revealed } from './customer-types.ts';
import { useCustomerDetail } from './use-customers.ts';

/** 客户详情: profile with masked PII and audited reveal, metrics, classes with why and history, activity, editing. */
export default function CustomerDetailPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation('customers');
  const pick = useBilingual();
  const detail = useCustomerDetail(code);
  const schemes = useSchemes();
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState<{ values: Revealed; at: Date } | null>(null);

  const back = (
    <Link to="/customers">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t('detail.back')}
      </Button>
    </Link>
  );

  if (detail.isPending) return <Loading />;
  if (detail.error instanceof ApiError && detail.error.status === 404) {
    return <Result status="404" title={t('detail.notFound')} subTitle={code} extra={back} />;
  }
  if (detail.error || !detail.data) {
    return (
      <Flex vertical gap={16}>
        {back}
        <ErrorState error={detail.error} onRetry={() => detail.refetch()} />
      </Flex>
    );
  }
  const d = detail.data;
  const c = d.customer;
  const headline = d.classes.map((cls) => ({
    key: cls.schemeKey,
    label: `${pick(cls.schemeName)}：${pick(cls.className)}`,
    color: schemes.data?.find((s) => s.key === cls.schemeKey)?.classes.find((x) => x.key === cls.classKey)
      ?.color,
  }));

  return (
    <Flex vertical gap={16} data-testid="customer-detail" style={{ minWidth: 0 }}>
      {back}
      <Flex justify="space-between" align="center" wrap gap={16}>
        <Space size={16} align="center">
          <Avatar size={56} icon={<UserOutlined />} style={{ background: '#1677ff' }} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
              {c.name ?? c.code}
            </Typography.Title>
            <Space size={8} wrap style={{ marginTop: 4 }}>
              <Typography.Text type="secondary">{c.code}</Typography.Text>
              {headline.map((h) => (
                <Tag key={h.key} color={h.color ?? 'blue'}>
                  {h.label}
                </Tag>
              ))}
            </Space>
          </div>
        </Space>
        {d.metrics ? (
          <Space size={32}>
            <div>
              <Typography.Text type="secondary">{t('metric.totalAmount')}</Typography.Text>
              <div style={{ fontSize: 22, fontWeight: 600 }}>{formatFen(d.metrics.totalAmount)}</div>
            </div>
            <div>
              <Typography.Text type="secondary">{t('metric.orderCount')}</Typography.Text>
              <div style={{ fontSize: 22, fontWeight: 600 }}>{d.metrics.orderCount}</div>
            </div>
          </Space>
        ) : null}
      </Flex>
      <CustomerProfileCard
        detail={d}
        revealed={revealed}
        onRevealed={(values) => setRevealed({ values, at: new Date() })}
        onEdit={() => setEditing(true)}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <CustomerClassesCard classes={d.classes} schemes={schemes.data ?? []} />
        </Col>
        <Col xs={24}>
          <CustomerMetricsCard metrics={d.metrics} />
        </Col>
      </Row>
      <CustomerActivities detail={d} />
      <CustomerEditDrawer profile={c} open={editing} onClose={() => setEditing(false)} />
    </Flex>
  );
}
