import { CopyOutlined, PlayCircleOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorSentence } from '../../api/errors.ts';
import { useCan } from '../../api/session.ts';
import { useBilingual } from '../../components/bilingual.ts';
import { EmptyState, QueryState } from '../../components/page-states.tsx';
import { ClassCountsBar, formatCount, formatInstant } from './class-counts.tsx';
import { CreateSchemeModal } from './create-scheme-modal.tsx';
import { type RunSummary, type Scheme, useRunNow, useSchemes } from './use-schemes.ts';

/** 分类方案: every scheme with its current version, publication, classes and last run. */
export default function SchemesPage() {
  const { t, i18n } = useTranslation('schemes');
  const pick = useBilingual();
  const can = useCan();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const schemes = useSchemes();
  const runNow = useRunNow();
  const [runningKey, setRunningKey] = useState<string | null>(null);
  const [template, setTemplate] = useState<Scheme | 'blank' | null>(null);
  const canWrite = can('schemes.write');
  const canRun = can('classification.run');

  const run = async (keys?: string[]) => {
    setRunningKey(keys?.[0] ?? '*');
    try {
      const runs = await runNow.mutateAsync(keys);
      message.success(runsSentence(runs));
    } catch (e) {
      modal.error({ title: t('run.failed'), content: errorSentence(e, t, i18n.language) });
    } finally {
      setRunningKey(null);
    }
  };

  const runsSentence = (runs: RunSummary[]) =>
    runs.length === 1
      ? t('run.doneOne', {
          name: pick(runs[0].schemeName),
          population: formatCount(runs[0].population, i18n.language),
          changed: formatCount(runs[0].changed, i18n.language),
        })
      : t('run.doneMany', { count: runs.length });

  const columns: ColumnsType<Scheme> = [
    {
      title: t('list.scheme'),
      key: 'name',
      width: 230,
      render: (_, s) => (
        <Space orientation="vertical" size={2}>
          <Link
            to={`/schemes/${s.key}`}
            style={{ fontWeight: 600, fontSize: 15 }}
            data-testid={`scheme-link-${s.key}`}
          >
            {pick(s.name)}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} code>
            {s.key}
          </Typography.Text>
          <Space size={4} wrap>
            {s.builtin ? <Tag>{t('builtin')}</Tag> : <Tag color="purple">{t('custom')}</Tag>}
            {s.hasDraft ? <Tag color="gold">{t('draftTag')}</Tag> : null}
            {s.active ? null : <Tag>{t('inactive')}</Tag>}
          </Space>
        </Space>
      ),
    },
    {
      title: t('list.version'),
      key: 'version',
      width: 90,
      render: (_, s) => <Tag color="blue">v{s.version}</Tag>,
    },
    {
      title: t('list.published'),
      key: 'published',
      width: 170,
      render: (_, s) => (
        <Space orientation="vertical" size={0}>
          <span>{formatInstant(s.publishedAt, i18n.language)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.publishedBy ? t('list.by', { user: s.publishedBy }) : '—'}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('list.classes'),
      key: 'classes',
      width: 80,
      align: 'right',
      render: (_, s) => <span data-testid={`class-total-${s.key}`}>{s.classes.length}</span>,
    },
    {
      title: t('list.lastRun'),
      key: 'lastRun',
      render: (_, s) =>
        s.lastRun ? (
          <div style={{ minWidth: 0 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('list.lastRunLine', {
                asOf: s.lastRun.asOf,
                population: formatCount(s.lastRun.population, i18n.language),
                version: s.lastRun.schemeVersion,
              })}
            </Typography.Text>
            {s.lastRun.schemeVersion < s.version ? (
              <Tag
                color="warning"
                style={{ marginInlineStart: 8, fontSize: 12 }}
                data-testid={`stale-run-${s.key}`}
              >
                {t('list.staleRun', { version: s.version })}
              </Tag>
            ) : null}
            <ClassCountsBar schemeKey={s.key} classes={s.classes} counts={s.lastRun.counts} compact />
          </div>
        ) : (
          <Typography.Text type="secondary">{t('list.neverRun')}</Typography.Text>
        ),
    },
    {
      title: t('common:actions'),
      key: 'actions',
      width: 150,
      render: (_, s) => (
        <Flex vertical gap={2} align="flex-start">
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => navigate(`/schemes/${s.key}`)}
          >
            {canWrite ? t('list.openEdit') : t('list.open')}
          </Button>
          {canRun ? (
            <Popconfirm
              title={t('run.confirmTitle', { name: pick(s.name) })}
              description={t('run.confirmBody', { version: s.version })}
              okText={t('run.now')}
              onConfirm={() => run([s.key])}
            >
              <Button
                type="link"
                size="small"
                style={{ padding: 0 }}
                icon={<PlayCircleOutlined />}
                loading={runningKey === s.key}
                disabled={runningKey !== null && runningKey !== s.key}
                data-testid={`run-${s.key}`}
              >
                {t('run.now')}
              </Button>
            </Popconfirm>
          ) : null}
          {canWrite ? (
            <Button
              type="link"
              size="small"
              style={{ padding: 0 }}
              icon={<CopyOutlined />}
              onClick={() => setTemplate(s)}
            >
              {t('list.copy')}
            </Button>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ minWidth: 0, flex: '1 1 420px' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {t('list.intro')}
          </Typography.Paragraph>
        </div>
        <Space wrap>
          {canRun ? (
            <Popconfirm
              title={t('run.allTitle')}
              description={t('run.allBody')}
              okText={t('run.all')}
              onConfirm={() => run(undefined)}
            >
              <Button
                icon={<ThunderboltOutlined />}
                loading={runningKey === '*'}
                disabled={runningKey !== null}
              >
                {t('run.all')}
              </Button>
            </Popconfirm>
          ) : null}
          {canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setTemplate('blank')}
              data-testid="new-scheme"
            >
              {t('create.button')}
            </Button>
          ) : null}
        </Space>
      </Flex>
      <Card styles={{ body: { padding: 0 } }}>
        <QueryState query={schemes}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState description={t('list.empty')} />
            ) : (
              <Table<Scheme>
                rowKey="key"
                columns={columns}
                dataSource={list}
                pagination={false}
                data-testid="schemes-table"
                onRow={(s) => ({ 'data-testid': `scheme-row-${s.key}` }) as React.HTMLAttributes<HTMLElement>}
              />
            )
          }
        </QueryState>
      </Card>
      {template !== null && schemes.data ? (
        <CreateSchemeModal
          schemes={schemes.data}
          initialTemplate={template === 'blank' ? null : template.key}
          onClose={() => setTemplate(null)}
          onCreated={(key) => {
            setTemplate(null);
            navigate(`/schemes/${key}`);
          }}
        />
      ) : null}
    </Space>
  );
}
