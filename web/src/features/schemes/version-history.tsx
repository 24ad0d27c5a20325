import { HistoryOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Descriptions,
  Drawer,
  Flex,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { EmptyState, QueryState } from '../../components/page-states.tsx';
import { ChangeList, useParamText } from './change-list.tsx';
import { formatInstant } from './class-counts.tsx';
import { diffDefinitions, PARAM_LABELS } from './scheme-draft.ts';
import {
  type ParamUse,
  type SchemeDefinition,
  type SchemeVersion,
  useSchemeVersions,
} from './use-schemes.ts';

const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace";

/** 版本历史: every published version with who and when, its definition and what it changed. */
export function VersionHistory({
  schemeKey,
  uses,
  canRestore,
  onRestore,
}: {
  schemeKey: string;
  uses: Record<string, ParamUse>;
  canRestore: boolean;
  /** loads an older definition into the editor */
  onRestore: (definition: SchemeDefinition, version: number) => void;
}) {
  const { t, i18n } = useTranslation('schemes');
  const versions = useSchemeVersions(schemeKey);
  const [open, setOpen] = useState<number | null>(null);

  return (
    <QueryState query={versions}>
      {(data) => {
        if (data.versions.length === 0) return <EmptyState />;
        const previousOf = (v: number) => data.versions.find((x) => x.version < v);
        return (
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <Table<SchemeVersion>
              rowKey="version"
              size="middle"
              pagination={false}
              dataSource={data.versions}
              data-testid="version-table"
              onRow={(v) =>
                ({ 'data-testid': `version-row-${v.version}` }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  title: t('versions.version'),
                  key: 'version',
                  width: 120,
                  render: (_, v) => (
                    <Space size={4}>
                      <Tag color={v.current ? 'blue' : undefined}>v{v.version}</Tag>
                      {v.current ? (
                        <Typography.Text type="secondary">{t('versions.current')}</Typography.Text>
                      ) : null}
                    </Space>
                  ),
                },
                {
                  title: t('versions.publishedAt'),
                  key: 'at',
                  width: 170,
                  render: (_, v) => formatInstant(v.publishedAt ?? v.createdAt, i18n.language),
                },
                {
                  title: t('versions.publishedBy'),
                  dataIndex: 'publishedBy',
                  width: 120,
                  render: (by: string | null) => by ?? '—',
                },
                {
                  title: t('versions.changes'),
                  key: 'changes',
                  render: (_, v) => {
                    const prev = previousOf(v.version);
                    const n = prev ? diffDefinitions(prev.definition, v.definition).length : 0;
                    return (
                      <Space orientation="vertical" size={0}>
                        {v.note ? <span data-testid={`version-note-${v.version}`}>{v.note}</span> : null}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {prev
                            ? t('versions.changeCount', { count: n, version: prev.version })
                            : t('versions.first')}
                        </Typography.Text>
                      </Space>
                    );
                  },
                },
                {
                  title: t('common:actions'),
                  key: 'actions',
                  width: 240,
                  render: (_, v) => (
                    <Space size={4} wrap>
                      <Button
                        size="small"
                        onClick={() => setOpen(v.version)}
                        data-testid={`version-view-${v.version}`}
                      >
                        {t('versions.view')}
                      </Button>
                      {canRestore && !v.current ? (
                        <Popconfirm
                          title={t('versions.restoreTitle', { version: v.version })}
                          description={t('versions.restoreBody')}
                          onConfirm={() => onRestore(v.definition, v.version)}
                        >
                          <Button size="small" type="link" icon={<HistoryOutlined />}>
                            {t('versions.restore')}
                          </Button>
                        </Popconfirm>
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
            {open !== null ? (
              <VersionDrawer
                versions={data.versions}
                version={open}
                uses={uses}
                onClose={() => setOpen(null)}
              />
            ) : null}
          </Card>
        );
      }}
    </QueryState>
  );
}

function VersionDrawer({
  versions,
  version,
  uses,
  onClose,
}: {
  versions: SchemeVersion[];
  version: number;
  uses: Record<string, ParamUse>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('schemes');
  const shown = versions.find((v) => v.version === version);
  const [base, setBase] = useState<number | undefined>(versions.find((v) => v.version < version)?.version);
  const against = versions.find((v) => v.version === base);
  if (!shown) return null;
  return (
    <Drawer
      open
      size={Math.min(760, window.innerWidth - 48)}
      title={t('versions.drawerTitle', { version })}
      onClose={onClose}
    >
      <Flex vertical gap={16} data-testid="version-drawer">
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('versions.publishedAt')}>
            {formatInstant(shown.publishedAt ?? shown.createdAt, i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('versions.publishedBy')}>{shown.publishedBy ?? '—'}</Descriptions.Item>
          {shown.note ? <Descriptions.Item label={t('versions.note')}>{shown.note}</Descriptions.Item> : null}
        </Descriptions>
        <Card
          size="small"
          title={t('versions.diffTitle')}
          extra={
            <Select
              size="small"
              style={{ width: 150 }}
              value={base}
              placeholder={t('versions.compareWith')}
              onChange={setBase}
              options={versions
                .filter((v) => v.version !== version)
                .map((v) => ({
                  value: v.version,
                  label: t('versions.compareOption', { version: v.version }),
                }))}
            />
          }
        >
          {against ? (
            <ChangeList changes={diffDefinitions(against.definition, shown.definition)} uses={uses} />
          ) : (
            <Typography.Text type="secondary">{t('versions.first')}</Typography.Text>
          )}
        </Card>
        <DefinitionView definition={shown.definition} uses={uses} />
      </Flex>
    </Drawer>
  );
}

/** A definition read-only: parameters, then the classes in order with their rules. */
export function DefinitionView({
  definition,
  uses,
}: {
  definition: SchemeDefinition;
  uses: Record<string, ParamUse>;
}) {
  const { t } = useTranslation('schemes');
  const pick = useBilingual();
  const paramText = useParamText(uses);
  const params = Object.entries(definition.params ?? {});
  return (
    <Flex vertical gap={16}>
      {params.length ? (
        <Card size="small" title={t('params.title')}>
          <Descriptions size="small" column={1}>
            {params.map(([name, value]) => (
              <Descriptions.Item key={name} label={PARAM_LABELS[name] ? pick(PARAM_LABELS[name]) : name}>
                {paramText(name, value)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      ) : null}
      <Card size="small" title={t('classes.title')} styles={{ body: { padding: 0 } }}>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={definition.classes}
          columns={[
            { title: '#', key: 'i', width: 40, render: (_, __, i) => i + 1 },
            {
              title: t('classes.name'),
              key: 'name',
              width: 150,
              render: (_, c) => (
                <span>
                  <span
                    style={{
                      display: 'inline-block',
                      width: 8,
                      height: 8,
                      borderRadius: 2,
                      marginRight: 6,
                      background: c.color ?? '#d9d9d9',
                    }}
                  />
                  {pick(c.name)}
                </span>
              ),
            },
            {
              title: t('classes.rule'),
              dataIndex: 'rule',
              render: (rule: string) => (
                <span style={{ fontFamily: MONO, fontSize: 12, wordBreak: 'break-all' }}>{rule}</span>
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
