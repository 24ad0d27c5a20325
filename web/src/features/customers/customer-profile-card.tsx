import { EditOutlined, EyeOutlined, LockOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/session.ts';
import { formatFen } from '../../components/bilingual.ts';
import { ErrorText } from '../../components/page-states.tsx';
import type { CustomerDetail, Revealed } from './customer-types.ts';
import { useReveal } from './use-customers.ts';

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

/** The profile with masked PII; users holding pii.view may reveal it (the server audits each reveal). */
export function CustomerProfileCard({
  detail,
  revealed,
  onRevealed,
  onEdit,
}: {
  detail: CustomerDetail;
  revealed: { values: Revealed; at: Date } | null;
  onRevealed: (values: Revealed) => void;
  onEdit: () => void;
}) {
  const { t, i18n } = useTranslation('customers');
  const can = useCan();
  const c = detail.customer;
  const reveal = useReveal(c.code);
  const hasPii = Boolean(c.phone || c.email || c.address);
  const mayReveal = detail.canReveal && can('pii.view') && hasPii && !c.erasedAt;
  const shown = (field: 'phone' | 'email' | 'address') =>
    revealed && revealed.values[field] !== undefined ? revealed.values[field] : c[field];

  const pii = (field: 'phone' | 'email' | 'address') => (
    <Space size={4}>
      <span data-testid={`profile-${field}`}>{dash(shown(field))}</span>
      {c[field] && !revealed ? <LockOutlined style={{ color: 'rgba(0,0,0,0.25)' }} /> : null}
    </Space>
  );

  return (
    <Card
      title={t('detail.profile')}
      data-testid="customer-profile"
      extra={
        <Space>
          {mayReveal && !revealed ? (
            <Button
              icon={<EyeOutlined />}
              data-testid="reveal-pii"
              loading={reveal.isPending}
              onClick={() => reveal.mutate(undefined, { onSuccess: onRevealed })}
            >
              {t('detail.reveal')}
            </Button>
          ) : null}
          {can('customers.write') && !c.erasedAt ? (
            <Button type="primary" icon={<EditOutlined />} data-testid="edit-customer" onClick={onEdit}>
              {t('detail.edit')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {c.erasedAt ? (
        <Alert type="warning" showIcon title={t('detail.erased')} style={{ marginBottom: 16 }} />
      ) : null}
      <ErrorText error={reveal.error} />
      {revealed ? (
        <Alert
          type="info"
          showIcon
          icon={<SafetyCertificateOutlined />}
          data-testid="reveal-audited"
          title={t('detail.revealed', { time: revealed.at.toLocaleTimeString(i18n.language) })}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'code', label: t('profile.code'), children: c.code },
          { key: 'kind', label: t('profile.kind'), children: t(`kind.${c.kind}`, c.kind) },
          {
            key: 'gender',
            label: t('profile.gender'),
            children: c.gender ? t(`gender.${c.gender}`, c.gender) : '—',
          },
          { key: 'phone', label: t('profile.phone'), children: pii('phone') },
          { key: 'email', label: t('profile.email'), children: pii('email') },
          { key: 'address', label: t('profile.address'), children: pii('address') },
          {
            key: 'region',
            label: t('profile.region'),
            children: [c.region, c.province, c.city].filter(Boolean).join(' · ') || '—',
          },
          { key: 'age', label: t('profile.age'), children: dash(c.age) },
          { key: 'birthDate', label: t('profile.birthDate'), children: dash(c.birthDate) },
          { key: 'source', label: t('profile.source'), children: dash(c.source) },
          {
            key: 'owner',
            label: t('profile.owner'),
            children: c.owner ? (c.owner.displayName ?? c.owner.username) : t('unowned'),
          },
          { key: 'industry', label: t('profile.industry'), children: dash(c.industry) },
          { key: 'companySize', label: t('profile.companySize'), children: dash(c.companySize) },
          { key: 'preference', label: t('profile.preference'), children: dash(c.preference) },
          {
            key: 'consent',
            label: t('profile.consentMarketing'),
            children: c.consentMarketing ? t('common:yes') : t('common:no'),
          },
          ...(c.opening.orderCount > 0 || c.opening.amount !== 0
            ? [
                {
                  key: 'opening',
                  label: t('profile.opening'),
                  children: t('profile.openingValue', {
                    count: c.opening.orderCount,
                    amount: formatFen(c.opening.amount),
                  }),
                },
              ]
            : []),
          {
            key: 'tags',
            label: t('detail.tags'),
            children: detail.tags.length ? (
              detail.tags.map((tag) => <Tag key={tag}>{tag}</Tag>)
            ) : (
              <Typography.Text type="secondary">{t('detail.noTags')}</Typography.Text>
            ),
          },
          {
            key: 'updated',
            label: t('profile.updatedAt'),
            children: (
              <Space size={8}>
                {new Date(c.updatedAt).toLocaleString(i18n.language)}
                <Typography.Text type="secondary" data-testid="customer-version">
                  {t('detail.version', { version: c.version })}
                </Typography.Text>
              </Space>
            ),
          },
        ]}
      />
      {!revealed && hasPii && !mayReveal ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <LockOutlined /> {t('detail.masked')}
        </Typography.Text>
      ) : null}
    </Card>
  );
}
