import { HistoryOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Row, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useBilingual } from '../../components/bilingual.ts';
import { StepExplanation } from './class-explanation.tsx';
import type { CustomerClass, Scheme } from './customer-types.ts';

function ClassPanel({ cls, scheme }: { cls: CustomerClass; scheme: Scheme | undefined }) {
  const { t, i18n } = useTranslation('customers');
  const pick = useBilingual();
  const [full, setFull] = useState(false);
  const nameOf = (key: string | null) => {
    if (!key) return '—';
    const c = scheme?.classes.find((x) => x.key === key);
    return c ? pick(c.name) : key;
  };
  const colour = scheme?.classes.find((x) => x.key === cls.classKey)?.color;

  return (
    <Card
      size="small"
      data-testid={`class-${cls.schemeKey}`}
      title={
        <Flex gap={8} align="center" wrap>
          <Link to={`/schemes/${encodeURIComponent(cls.schemeKey)}`} style={{ color: 'inherit' }}>
            {pick(cls.schemeName)}
          </Link>
          <Tag color={colour ?? 'blue'} data-testid="class-name" style={{ fontSize: 13 }}>
            {pick(cls.className)}
          </Tag>
        </Flex>
      }
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('detail.classSince', { date: cls.since.slice(0, 10) })}
        </Typography.Text>
      }
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={16}>
          <Typography.Text strong>{t('detail.why', { name: pick(cls.className) })}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
            {t('detail.asOf', { date: cls.asOf })}
          </Typography.Text>
          {!cls.consistent ? (
            <Typography.Paragraph type="warning" style={{ margin: '6px 0 0' }}>
              <WarningOutlined /> {t('detail.inconsistent')}
            </Typography.Paragraph>
          ) : null}
          {cls.steps.length > 1 ? (
            <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', fontSize: 12 }}>
              {t('detail.triedFirst')}
            </Typography.Paragraph>
          ) : null}
          <Flex vertical gap={8} style={{ marginTop: 8 }} data-testid="class-explanation">
            {cls.steps.map((s) => (
              <StepExplanation
                key={s.classKey}
                step={s}
                highlight={s.classKey === cls.classKey}
                compact={!full}
              />
            ))}
          </Flex>
          {cls.steps.some((s) => s.result !== true) ? (
            <Button
              type="link"
              size="small"
              style={{ padding: 0, marginTop: 4 }}
              onClick={() => setFull(!full)}
            >
              {full ? t('detail.hideAll') : t('detail.showAll')}
            </Button>
          ) : null}
        </Col>
        <Col xs={24} xl={8}>
          <Typography.Text strong>
            <HistoryOutlined /> {t('detail.history')}
          </Typography.Text>
          {cls.history.length ? (
            <Timeline
              style={{ marginTop: 12 }}
              data-testid="class-history"
              items={[...cls.history].reverse().map((h) => ({
                key: `${h.runId}:${h.to}`,
                color: h.to === cls.classKey ? 'blue' : 'gray',
                content: (
                  <div>
                    <div>
                      {h.from
                        ? t('detail.movedFromTo', { from: nameOf(h.from), to: nameOf(h.to) })
                        : t('detail.enteredAs', { to: nameOf(h.to) })}
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {new Date(h.at).toLocaleDateString(i18n.language)} · {t('detail.run', { id: h.runId })}
                    </Typography.Text>
                  </div>
                ),
              }))}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noHistory')} />
          )}
        </Col>
      </Row>
    </Card>
  );
}

/** Every scheme's class of the customer, why (the rule trace with actual values) and how it changed. */
export function CustomerClassesCard({ classes, schemes }: { classes: CustomerClass[]; schemes: Scheme[] }) {
  const { t } = useTranslation('customers');
  return (
    <Card title={t('detail.classes')} data-testid="customer-classes">
      {classes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noClasses')} />
      ) : (
        <Flex vertical gap={16}>
          {classes.map((c) => (
            <ClassPanel key={c.schemeKey} cls={c} scheme={schemes.find((s) => s.key === c.schemeKey)} />
          ))}
        </Flex>
      )}
    </Card>
  );
}
