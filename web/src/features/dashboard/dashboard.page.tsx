import { ReloadOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Row, Segmented, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useBilingual } from '../../components/bilingual.ts';
import { ErrorState } from '../../components/page-states.tsx';
import { ActivityStatus, formatTime } from './activity-status.tsx';
import { ClassDistribution } from './class-distribution.tsx';
import { ClassTransitions } from './class-transitions.tsx';
import { ClassTrend } from './class-trend.tsx';
import { DashboardSkeleton, NoCustomers, NotClassified } from './dashboard-states.tsx';
import { RetentionChart } from './retention-chart.tsx';
import { RfmHeatmap } from './rfm-heatmap.tsx';
import { SatisfactionTrend } from './satisfaction-trend.tsx';
import { TotalsCards } from './totals-cards.tsx';
import { type Dashboard, hasRuns, useDashboard } from './use-dashboard.ts';
import { ValuePotentialScatter } from './value-potential-scatter.tsx';

const GUTTER: [number, number] = [16, 16];

function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <section style={{ marginTop: 24 }}>
      <div
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: 12,
          marginBottom: 12,
        }}
      >
        <Typography.Title level={5} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </div>
      {children}
    </section>
  );
}

/** The panels of one scheme: distribution, retention, trend over runs and moves between runs. */
function SchemePanels({ data }: { data: Dashboard }) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const [params, setParams] = useSearchParams();
  const schemes = data.distribution;
  const wanted = params.get('scheme');
  const scheme =
    schemes.find((s) => s.schemeKey === wanted) ?? schemes.find((s) => s.lastRun !== null) ?? schemes[0];
  if (!scheme) return null;
  const key = scheme.schemeKey;
  const trend = data.classTrend.find((c) => c.schemeKey === key);
  const transitions = data.transitions.find((c) => c.schemeKey === key);
  const retention = data.retention.find((c) => c.schemeKey === key);

  return (
    <Section
      title={t('section.byScheme')}
      extra={
        <div style={{ maxWidth: '100%', overflowX: 'auto' }}>
          <Segmented
            data-testid="scheme-switch"
            value={key}
            onChange={(value) =>
              setParams(
                (prev) => {
                  const next = new URLSearchParams(prev);
                  next.set('scheme', String(value));
                  return next;
                },
                { replace: true },
              )
            }
            options={schemes.map((s) => ({ label: pick(s.schemeName), value: s.schemeKey }))}
          />
        </div>
      }
    >
      <Row gutter={GUTTER}>
        <Col xs={24} lg={14}>
          <ClassDistribution scheme={scheme} />
        </Col>
        <Col xs={24} lg={10}>
          <RetentionChart classes={retention?.classes ?? []} />
        </Col>
        <Col xs={24} lg={12}>
          <ClassTrend trend={trend} />
        </Col>
        <Col xs={24} lg={12}>
          <ClassTransitions
            transitions={transitions}
            classes={trend?.classes.length ? trend.classes : scheme.classes}
            schemeKey={key}
          />
        </Col>
      </Row>
    </Section>
  );
}

function Header({ data, fetching, refetch }: { data?: Dashboard; fetching: boolean; refetch: () => void }) {
  const { t } = useTranslation('dashboard');
  const lastRun = data?.lastRun;
  return (
    <div
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'flex-end',
        justifyContent: 'space-between',
        gap: 12,
        marginBottom: 16,
      }}
    >
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {data && (
          <Typography.Text type="secondary" data-testid="dashboard-as-of">
            {t('asOf', { asOf: data.asOf })}
            {lastRun
              ? ` · ${t('lastRun', { time: formatTime(lastRun.finishedAt ?? lastRun.startedAt) })}`
              : ''}
          </Typography.Text>
        )}
      </div>
      <Tooltip title={t('refreshHint')}>
        <Button icon={<ReloadOutlined spin={fetching} />} onClick={refetch} disabled={fetching}>
          {t('refresh')}
        </Button>
      </Tooltip>
    </div>
  );
}

/** 概览: headline figures, classes per scheme, RFM and value-potential structure, service and activity. */
export default function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const query = useDashboard();
  const data = query.data;
  const refetch = () => void query.refetch();

  let body: ReactNode;
  if (query.isPending) body = <DashboardSkeleton />;
  else if (query.error || !data) body = <ErrorState error={query.error} onRetry={refetch} />;
  else if (data.totals.customers === 0) body = <NoCustomers scope={data.scope} />;
  else {
    body = (
      <>
        <TotalsCards data={data} />
        {hasRuns(data) ? (
          <>
            <SchemePanels data={data} />
            <Section title={t('section.structure')}>
              <Row gutter={GUTTER}>
                <Col xs={24} lg={12}>
                  <RfmHeatmap cells={data.rfmHeatmap} />
                </Col>
                <Col xs={24} lg={12}>
                  <ValuePotentialScatter data={data.valuePotential} />
                </Col>
              </Row>
            </Section>
          </>
        ) : (
          <div style={{ marginTop: 16 }}>
            <NotClassified />
          </div>
        )}
        <Section title={t('section.service')}>
          <Row gutter={GUTTER}>
            <Col xs={24} lg={12}>
              <SatisfactionTrend months={data.satisfaction} />
            </Col>
            <Col xs={24} lg={12}>
              <ActivityStatus data={data} />
            </Col>
          </Row>
        </Section>
      </>
    );
  }

  return (
    <div data-testid="dashboard" style={{ maxWidth: 1680, margin: '0 auto' }}>
      <Header data={data} fetching={query.isFetching} refetch={refetch} />
      {data?.scope === 'own' && (
        <Alert
          data-testid="scope-own-note"
          type="info"
          showIcon
          icon={<UserOutlined />}
          style={{ marginBottom: 16 }}
          title={t('scopeOwn')}
        />
      )}
      {body}
    </div>
  );
}
