import {
  EyeOutlined,
  PlayCircleOutlined,
  RocketOutlined,
  SaveOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { Alert, App, Badge, Button, Flex, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { errorSentence } from '../../api/errors.ts';
import { useCan, useViewScope } from '../../api/session.ts';
import { useBilingual } from '../../components/bilingual.ts';
import { ErrorText } from '../../components/page-states.tsx';
import { formatCount, formatInstant } from './class-counts.tsx';
import { DefinitionEditor } from './definition-editor.tsx';
import { PreviewPanel } from './preview-panel.tsx';
import { PublishModal } from './publish-modal.tsx';
import { RunPanel } from './run-panel.tsx';
import { serverDraftErrors, validateDraft } from './scheme-draft.ts';
import { useLeaveGuard } from './use-leave-guard.ts';
import { useSchemeEditor } from './use-scheme-editor.ts';
import {
  definitionOf,
  type RunSummary,
  type Scheme,
  type SchemeVersions,
  useDiscardDraft,
  usePreview,
  usePublish,
  useRunNow,
  useSaveDraft,
  useScheme,
  useSchemeVersions,
} from './use-schemes.ts';
import { VersionHistory } from './version-history.tsx';

type TabKey = 'definition' | 'preview' | 'runs' | 'versions';
const TABS: TabKey[] = ['definition', 'preview', 'runs', 'versions'];

/** One scheme's header, actions and tabs, over an editor that starts from its draft or current version. */
export function SchemeWorkspace({ scheme, versions }: { scheme: Scheme; versions: SchemeVersions }) {
  const { t, i18n } = useTranslation('schemes');
  const pick = useBilingual();
  const can = useCan();
  const viewScope = useViewScope();
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const tabParam = search.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'definition';
  const setTab = (next: TabKey) =>
    setSearch((s) => {
      s.set('tab', next);
      return s;
    });

  const current = useMemo(() => definitionOf(scheme), [scheme]);
  // The versions answer may still be the one from before a publication: its draft is stale then.
  const draft = versions.currentVersion === scheme.version ? versions.draft : null;
  const editor = useSchemeEditor({ current, saved: draft?.definition ?? current });
  const canWrite = can('schemes.write');
  const canRun = can('classification.run');
  // Previews classify every customer: roles limited to their own customers may not run them.
  const canPreview = viewScope('schemePreview') !== 'refused';
  const refetchScheme = useScheme(scheme.key).refetch;
  const refetchVersions = useSchemeVersions(scheme.key).refetch;

  const saveDraft = useSaveDraft(scheme.key);
  const discardDraft = useDiscardDraft(scheme.key);
  const preview = usePreview(scheme.key);
  const publish = usePublish(scheme.key);
  const runNow = useRunNow();
  const [publishing, setPublishing] = useState(false);
  const [justRan, setJustRan] = useState<RunSummary | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [serverReason, setServerReason] = useState<string | null>(null);
  const { definition } = editor;

  /** Checks what can be checked here; shows the problems on the form and says how many. */
  const locallyValid = () => {
    const errors = validateDraft(definition, t);
    const n = Object.keys(errors).length;
    if (n === 0) return true;
    editor.setErrors(errors);
    setTab('definition');
    message.error(t('validation.fix', { count: n }));
    return false;
  };
  /** A 400 spreads over the form (with one sentence above it); anything else is one sentence. */
  const showServerError = (e: unknown) => {
    const errors = serverDraftErrors(e, definition, t, i18n.language);
    if (Object.keys(errors).length) {
      editor.setErrors(errors);
      setServerReason(errorSentence(e, t, i18n.language));
      setProblem(null);
      setTab('definition');
    } else {
      setProblem(e);
    }
  };

  const doPreview = async () => {
    if (!locallyValid()) return;
    setProblem(null);
    setTab('preview');
    const from = definition;
    try {
      editor.setPreview(await preview.mutateAsync(from), from);
    } catch (e) {
      showServerError(e);
    }
  };
  const doSave = async () => {
    if (!locallyValid()) return;
    setProblem(null);
    try {
      await saveDraft.mutateAsync(definition);
      editor.markSaved(definition);
      message.success(t('draft.saved'));
    } catch (e) {
      showServerError(e);
    }
  };
  const doRevert = async () => {
    setProblem(null);
    try {
      if (scheme.hasDraft) await discardDraft.mutateAsync();
      editor.reset(current);
      editor.setPreview(null);
      message.success(t('draft.reverted', { version: scheme.version }));
    } catch (e) {
      setProblem(e);
    }
  };
  const openPublish = () => {
    if (!locallyValid()) return;
    publish.reset();
    setPublishing(true);
  };
  const doPublish = async (note: string) => {
    try {
      const published = await publish.mutateAsync({ definition, version: scheme.version, note });
      setPublishing(false);
      message.success(t('publish.done', { version: published.version }));
      setTab('versions');
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        setPublishing(false);
        showServerError(e);
      }
    }
  };
  const doRun = async () => {
    setProblem(null);
    try {
      const [run] = await runNow.mutateAsync([scheme.key]);
      setJustRan(run ?? null);
      setTab('runs');
      message.success(
        t('run.doneOne', {
          name: pick(scheme.name),
          population: formatCount(run?.population ?? 0, i18n.language),
          changed: formatCount(run?.changed ?? 0, i18n.language),
        }),
      );
    } catch (e) {
      setProblem(e);
    }
  };

  useLeaveGuard(editor.dirty);

  const errorCount = Object.keys(editor.errors).length;
  const previewed = editor.preview !== null && !editor.previewStale;

  return (
    <Flex vertical gap={16} data-testid="scheme-detail">
      <div>
        <Link to="/schemes" style={{ fontSize: 13 }}>
          <Space size={4}>
            {/* a plain arrow keeps the link one line */}
            <span aria-hidden>←</span>
            {t('detail.back')}
          </Space>
        </Link>
        <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginTop: 8 }}>
          <div style={{ minWidth: 0, flex: '1 1 360px' }}>
            <Flex gap={8} align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="scheme-title">
                {pick(scheme.name)}
              </Typography.Title>
              <Typography.Text type="secondary" code>
                {scheme.key}
              </Typography.Text>
              {scheme.builtin ? <Tag>{t('builtin')}</Tag> : <Tag color="purple">{t('custom')}</Tag>}
              <Tag color="blue" data-testid="current-version">
                {t('detail.currentVersion', { version: scheme.version })}
              </Tag>
              {scheme.hasDraft ? (
                <Tag color="gold">
                  {t('draft.savedAt', { at: formatInstant(scheme.draftSavedAt, i18n.language) })}
                </Tag>
              ) : null}
              {editor.dirty ? <Tag color="orange">{t('draft.unsaved')}</Tag> : null}
            </Flex>
            <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
              {pick({ zh: scheme.description?.zh ?? '', en: scheme.description?.en ?? '' })}
              {scheme.description ? ' · ' : ''}
              {t('detail.publishedLine', {
                at: formatInstant(scheme.publishedAt, i18n.language),
                by: scheme.publishedBy ?? '—',
              })}
              {' · '}
              {scheme.lastRun
                ? t('detail.lastRunLine', {
                    asOf: scheme.lastRun.asOf,
                    population: formatCount(scheme.lastRun.population, i18n.language),
                  })
                : t('list.neverRun')}
              {scheme.lastRun && scheme.lastRun.schemeVersion < scheme.version ? (
                <Tag color="warning" style={{ marginInlineStart: 8 }}>
                  {t('list.staleRun', { version: scheme.version })}
                </Tag>
              ) : null}
            </Typography.Paragraph>
          </div>
          <Space wrap>
            {canWrite ? (
              <>
                <Popconfirm
                  title={scheme.hasDraft ? t('draft.discardTitle') : t('draft.revertTitle')}
                  description={t('draft.revertBody', { version: scheme.version })}
                  onConfirm={doRevert}
                  disabled={!scheme.hasDraft && !editor.dirty}
                >
                  <Button
                    icon={<UndoOutlined />}
                    disabled={!scheme.hasDraft && !editor.dirty}
                    loading={discardDraft.isPending}
                  >
                    {t('actions.revert')}
                  </Button>
                </Popconfirm>
                <Button
                  icon={<SaveOutlined />}
                  onClick={doSave}
                  loading={saveDraft.isPending}
                  disabled={!editor.dirty}
                  data-testid="save-draft"
                >
                  {t('actions.save')}
                </Button>
              </>
            ) : null}
            {canPreview ? (
              <Button
                icon={<EyeOutlined />}
                onClick={doPreview}
                loading={preview.isPending}
                data-testid="preview-button"
              >
                {t('actions.preview')}
              </Button>
            ) : null}
            {canWrite ? (
              <Button
                type="primary"
                icon={<RocketOutlined />}
                onClick={openPublish}
                disabled={editor.changes.length === 0}
                data-testid="publish-button"
              >
                {t('actions.publish')}
              </Button>
            ) : null}
            {canRun ? (
              <Popconfirm
                title={t('run.confirmTitle', { name: pick(scheme.name) })}
                description={
                  editor.changes.length
                    ? t('run.confirmUnpublished', { version: scheme.version })
                    : t('run.confirmBody', { version: scheme.version })
                }
                okText={t('run.now')}
                onConfirm={doRun}
              >
                <Button icon={<PlayCircleOutlined />} loading={runNow.isPending} data-testid="run-now">
                  {t('run.now')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        </Flex>
      </div>

      {canWrite ? null : <Alert type="info" showIcon title={t('detail.readOnly')} data-testid="read-only" />}
      {canWrite && editor.changes.length ? (
        <Alert
          type="warning"
          showIcon
          data-testid="pending-changes"
          title={t('detail.pendingChanges', { count: editor.changes.length, version: scheme.version })}
        />
      ) : null}
      <ErrorText error={problem} />
      {serverReason && errorCount > 0 ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="draft-errors"
          title={t('validation.serverFix', { count: errorCount, reason: serverReason })}
        />
      ) : null}

      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as TabKey)}
        items={[
          {
            key: 'definition',
            label: (
              <Badge count={errorCount} size="small" offset={[8, 0]}>
                {t('tabs.definition')}
              </Badge>
            ),
            children: <DefinitionEditor scheme={scheme} editor={editor} readOnly={!canWrite} />,
          },
          {
            key: 'preview',
            label: (
              <Badge dot={editor.previewStale} offset={[6, 0]}>
                {t('tabs.preview')}
              </Badge>
            ),
            children: (
              <PreviewPanel
                result={editor.preview}
                classes={definition.classes}
                currentClasses={scheme.classes}
                stale={editor.previewStale}
                pending={preview.isPending}
                onPreview={doPreview}
              />
            ),
          },
          {
            key: 'runs',
            label: t('tabs.runs'),
            children: <RunPanel schemeKey={scheme.key} classes={scheme.classes} justRan={justRan} />,
          },
          {
            key: 'versions',
            label: t('tabs.versions', { count: versions.versions.length }),
            children: (
              <VersionHistory
                schemeKey={scheme.key}
                uses={scheme.paramUses}
                canRestore={canWrite}
                onRestore={(restored, version) => {
                  editor.update(restored, 'classes');
                  editor.setErrors({});
                  setTab('definition');
                  message.info(t('versions.restored', { version }));
                }}
              />
            ),
          },
        ]}
      />
      {publishing ? (
        <PublishModal
          version={scheme.version}
          changes={editor.changes}
          uses={scheme.paramUses}
          previewed={previewed}
          pending={publish.isPending}
          error={publish.error}
          onPublish={doPublish}
          onReload={() => {
            setPublishing(false);
            void refetchScheme();
            void refetchVersions();
          }}
          onClose={() => setPublishing(false)}
        />
      ) : null}
    </Flex>
  );
}
