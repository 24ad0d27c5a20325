import { ArrowLeftOutlined, ArrowRightOutlined, CloudUploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Space, Steps, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCan } from '../../api/session.ts';
import {
  type ColumnChoices,
  explicitMapping,
  suggestedChoices,
  unmetRequirements,
} from './column-mapping.ts';
import { CommitStep } from './commit-step.tsx';
import { DetectStep } from './detect-step.tsx';
import { DryRunStep } from './dry-run-step.tsx';
import {
  type ImportEntity,
  importApi,
  type UploadHandle,
  type UploadInfo,
  uploadImportFile,
} from './import-api.ts';
import { importErrorSentence } from './import-format.ts';
import { ImportHistory } from './import-history.tsx';
import { MappingStep } from './mapping-step.tsx';
import { type UploadState, UploadStep } from './upload-step.tsx';

type Step = 0 | 1 | 2 | 3 | 4;

/** 导入: upload → detection → column mapping → dry run → commit with progress and report (docs/import.md). */
export default function ImportsPage() {
  const { t } = useTranslation('imports');
  const can = useCan();
  const navigate = useNavigate();
  if (!can('imports.run')) {
    return (
      <Result
        status="403"
        data-testid="imports-forbidden"
        title={t('noPermission.title')}
        subTitle={t('noPermission.body')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('noPermission.back')}
          </Button>
        }
      />
    );
  }
  return <ImportWizard />;
}

function ImportWizard() {
  const { t, i18n } = useTranslation('imports');
  const lang = i18n.language;
  const [entity, setEntity] = useState<ImportEntity>('customers');
  const [uploadState, setUploadState] = useState<UploadState>({ phase: 'idle' });
  const [upload, setUpload] = useState<UploadInfo | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>(0);
  const [reached, setReached] = useState<Step>(0);
  const [choices, setChoices] = useState<ColumnChoices>([]);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [dryRunFor, setDryRunFor] = useState<string | null>(null);
  const inFlight = useRef<UploadHandle | null>(null);

  // Leaving the page: stop an upload in flight and free the server of a file never committed.
  const pending = useRef<{ upload: UploadInfo | null; jobId: string | null }>({ upload: null, jobId: null });
  pending.current = { upload, jobId };
  useEffect(
    () => () => {
      inFlight.current?.abort();
      const left = pending.current;
      if (left.upload && !left.jobId) void importApi.discard(left.upload.id).catch(() => {});
    },
    [],
  );

  const mapping = upload ? explicitMapping(upload, choices) : {};
  const mappingKey = upload ? `${upload.id}:${JSON.stringify(mapping)}` : '';
  const unmet = upload ? unmetRequirements(upload, choices) : [];

  const dryRun = useMutation({
    mutationFn: (args: { id: string; mapping: Record<string, string>; key: string }) =>
      importApi.dryRun(args.id, { mapping: args.mapping }),
    onMutate: (args) => setDryRunFor(args.key),
  });
  const commit = useMutation({
    mutationFn: (args: { id: string; mapping: Record<string, string>; skipInvalid: boolean }) =>
      importApi.commit(args.id, { mapping: args.mapping, skipInvalid: args.skipInvalid }),
    onSuccess: (started) => {
      setJobId(started.jobId);
      go(4);
    },
  });

  const go = (next: Step) => {
    setStep(next);
    setReached((r) => (next > r ? next : r));
  };

  // Entering the dry-run step checks the file with the mapping as it stands now.
  const runDryRun = () => {
    if (upload) dryRun.mutate({ id: upload.id, mapping, key: mappingKey });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step or the mapping changes, not on every render
  useEffect(() => {
    if (step === 3 && upload && dryRunFor !== mappingKey && !dryRun.isPending) runDryRun();
  }, [step, mappingKey]);

  const startUpload = (chosen: File, forEntity: ImportEntity) => {
    inFlight.current?.abort();
    if (upload) void importApi.discard(upload.id).catch(() => {});
    setUpload(null);
    setFile(chosen);
    setJobId(null);
    setDryRunFor(null);
    dryRun.reset();
    commit.reset();
    setSkipInvalid(false);
    setReached(0);
    setUploadState({ phase: 'uploading', fileName: chosen.name, loaded: 0, total: chosen.size });
    const handle = uploadImportFile({
      entity: forEntity,
      file: chosen,
      onProgress: (loaded, total) =>
        setUploadState({ phase: 'uploading', fileName: chosen.name, loaded, total }),
    });
    inFlight.current = handle;
    handle.done.then(
      (info) => {
        if (inFlight.current !== handle) return;
        inFlight.current = null;
        setUpload(info);
        setChoices(suggestedChoices(info));
        setUploadState({ phase: 'idle' });
        go(1);
      },
      (error: unknown) => {
        if (inFlight.current !== handle) return;
        inFlight.current = null;
        if (error instanceof DOMException && error.name === 'AbortError') {
          setUploadState({ phase: 'idle' });
          setFile(null);
          return;
        }
        setUploadState({ phase: 'failed', message: importErrorSentence(error, t, lang) });
      },
    );
  };

  const chooseEntity = (next: ImportEntity) => {
    setEntity(next);
    // The file was read for another kind of record: read it again for this one.
    if (file && upload && upload.entity !== next) startUpload(file, next);
  };

  const restart = () => {
    setUpload(null);
    setFile(null);
    setJobId(null);
    setDryRunFor(null);
    dryRun.reset();
    commit.reset();
    setSkipInvalid(false);
    setUploadState({ phase: 'idle' });
    setStep(0);
    setReached(0);
  };

  const report = dryRunFor === mappingKey ? dryRun.data : undefined;
  const committing = jobId !== null;
  const canCommit =
    !!report && !dryRun.isPending && (report.counts.invalid === 0 || skipInvalid) && !commit.isPending;

  const items = [
    { title: t('steps.upload'), content: t('steps.uploadHint') },
    { title: t('steps.detect'), content: t('steps.detectHint') },
    { title: t('steps.mapping'), content: t('steps.mappingHint') },
    { title: t('steps.dryRun'), content: t('steps.dryRunHint') },
    { title: t('steps.commit'), content: t('steps.commitHint') },
  ].map((item, i) => ({ ...item, disabled: committing || i > reached || (i > 0 && !upload) }));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="imports-page">
      <div>
        <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
          <CloudUploadOutlined style={{ marginInlineEnd: 8, color: '#1677ff' }} />
          {t('title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('subtitle')}</Typography.Text>
      </div>

      <Card>
        <Steps
          current={step}
          items={items}
          onChange={(next) => !committing && next <= reached && setStep(next as Step)}
          style={{ marginBottom: 28 }}
          data-testid="import-steps"
        />

        <div data-testid={`import-step-${step}`}>
          {step === 0 && (
            <UploadStep
              entity={entity}
              onEntity={chooseEntity}
              state={uploadState}
              upload={upload}
              onFile={(f) => startUpload(f, entity)}
              onCancel={() => inFlight.current?.abort()}
              onWrongType={(name) =>
                setUploadState({ phase: 'failed', message: t('upload.wrongType', { name }) })
              }
            />
          )}
          {step === 1 && upload && <DetectStep upload={upload} />}
          {step === 2 && upload && <MappingStep upload={upload} choices={choices} onChange={setChoices} />}
          {step === 3 && upload && (
            <DryRunStep
              uploadId={upload.id}
              report={report}
              pending={dryRun.isPending || (!report && !dryRun.error)}
              error={dryRun.error ? importErrorSentence(dryRun.error, t, lang) : null}
              skipInvalid={skipInvalid}
              onSkipInvalid={setSkipInvalid}
              onRetry={runDryRun}
              onReupload={restart}
            />
          )}
          {step === 4 && upload && jobId && (
            <CommitStep
              jobId={jobId}
              total={report?.counts.rows ?? upload.rowCount.count}
              fileName={upload.fileName}
              onRestart={restart}
              onBackToDryRun={() => {
                setJobId(null);
                commit.reset();
                setStep(3);
              }}
            />
          )}
        </div>

        {commit.error && (
          <Alert
            style={{ marginTop: 16 }}
            type="error"
            showIcon
            role="alert"
            title={importErrorSentence(commit.error, t, lang)}
          />
        )}

        {step > 0 && step < 4 && (
          <div
            style={{
              display: 'flex',
              justifyContent: 'space-between',
              marginTop: 24,
              paddingTop: 16,
              borderTop: '1px solid #f0f0f0',
            }}
          >
            <Button icon={<ArrowLeftOutlined />} onClick={() => setStep((step - 1) as Step)}>
              {t('nav.back')}
            </Button>
            {step === 1 && (
              <Button type="primary" data-testid="next-step" onClick={() => go(2)}>
                {t('nav.toMapping')} <ArrowRightOutlined />
              </Button>
            )}
            {step === 2 && (
              <Button
                type="primary"
                data-testid="next-step"
                disabled={unmet.length > 0}
                onClick={() => go(3)}
              >
                {t('nav.toDryRun')} <ArrowRightOutlined />
              </Button>
            )}
            {step === 3 && upload && (
              <Button
                type="primary"
                data-testid="commit"
                disabled={!canCommit}
                loading={commit.isPending}
                onClick={() => commit.mutate({ id: upload.id, mapping, skipInvalid })}
              >
                {t('nav.commit')}
              </Button>
            )}
          </div>
        )}
        {step === 0 && upload && uploadState.phase !== 'uploading' && (
          <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 16 }}>
            <Button type="primary" data-testid="next-step" onClick={() => go(1)}>
              {t('nav.toDetect')} <ArrowRightOutlined />
            </Button>
          </div>
        )}
      </Card>

      <ImportHistory />
    </Space>
  );
}
