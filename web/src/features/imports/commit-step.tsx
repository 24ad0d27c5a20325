import { DownloadOutlined, PartitionOutlined, TeamOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress, Result, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { useCan } from '../../api/session.ts';
import { ErrorState } from '../../components/page-states.tsx';
import { HISTORY_KEY, type ImportJob, importApi } from './import-api.ts';
import { ImportCountTiles } from './import-counts.tsx';
import { formatCount, importErrorSentence } from './import-format.ts';

const POLL_MS = 500;

/** Step 5: the commit running in the background (live progress), then its report. */
export function CommitStep({
  jobId,
  total,
  fileName,
  onRestart,
  onBackToDryRun,
}: {
  jobId: string;
  /** rows the dry run read: the length of the progress bar */
  total: number;
  fileName: string;
  onRestart: () => void;
  onBackToDryRun: () => void;
}) {
  const { t, i18n } = useTranslation('imports');
  const lang = i18n.language;
  const client = useQueryClient();
  const job = useQuery({
    queryKey: ['imports', 'job', jobId],
    queryFn: () => importApi.job(jobId),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : POLL_MS),
  });
  const status = job.data?.status ?? 'running';
  useEffect(() => {
    if (status !== 'running') void client.invalidateQueries({ queryKey: HISTORY_KEY });
  }, [status, client]);

  if (job.error) return <ErrorState error={job.error} onRetry={() => job.refetch()} />;
  const rows = job.data?.progress.rows ?? 0;
  const finished = status !== 'running';
  const percent = finished ? 100 : total > 0 ? Math.min(99, Math.floor((rows / total) * 100)) : 0;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div data-testid="commit-progress" data-rows={rows} data-status={status}>
        <Typography.Text strong>
          {finished ? fileName : t('commit.running', { name: fileName })}
        </Typography.Text>
        <Progress
          percent={percent}
          status={status === 'failed' ? 'exception' : finished ? 'success' : 'active'}
          aria-label={t('steps.commit')}
        />
        <Typography.Text type="secondary">
          {total > 0
            ? t('commit.progress', {
                done: formatCount(Math.min(rows, total), lang),
                total: formatCount(total, lang),
              })
            : t('commit.progressUnknown', { done: formatCount(rows, lang) })}
        </Typography.Text>
      </div>
      {job.data && finished && (
        <CommitReport
          job={job.data}
          fileName={fileName}
          onRestart={onRestart}
          onBackToDryRun={onBackToDryRun}
        />
      )}
    </Space>
  );
}

function CommitReport({
  job,
  fileName,
  onRestart,
  onBackToDryRun,
}: {
  job: ImportJob;
  fileName: string;
  onRestart: () => void;
  onBackToDryRun: () => void;
}) {
  const { t, i18n } = useTranslation('imports');
  const lang = i18n.language;
  const can = useCan();
  const navigate = useNavigate();
  const client = useQueryClient();
  const classify = useMutation({
    mutationFn: () => api('POST /classification/runs', { body: {} }),
    onSuccess: () => client.invalidateQueries(),
  });
  const download = job.errorsUrl && (
    <Button icon={<DownloadOutlined />} href={job.errorsUrl} data-testid="download-errors" key="download">
      {t('commit.downloadErrors')}
    </Button>
  );

  if (job.status === 'failed' || !job.report) {
    const error = job.error;
    const sentence = error
      ? lang.startsWith('zh')
        ? error.message_zh || error.message
        : error.message
      : importErrorSentence(null, t, lang);
    return (
      <Result
        status="error"
        data-testid="commit-report"
        title={t('commit.failedTitle')}
        subTitle={sentence}
        extra={[
          <Button key="back" onClick={onBackToDryRun}>
            {t('commit.backToDryRun')}
          </Button>,
          <Button key="restart" type="primary" onClick={onRestart}>
            {t('nav.restart')}
          </Button>,
        ]}
      />
    );
  }

  const { report } = job;
  const { counts } = report;
  if (!report.committed) {
    return (
      <Result
        status="warning"
        data-testid="commit-report"
        title={t('commit.notCommittedTitle')}
        subTitle={t('commit.notCommittedBody', { count: formatCount(counts.invalid, lang) })}
        extra={[
          download,
          <Button key="back" onClick={onBackToDryRun}>
            {t('commit.backToDryRun')}
          </Button>,
          <Button key="restart" type="primary" onClick={onRestart}>
            {t('nav.restart')}
          </Button>,
        ]}
      />
    );
  }

  const classified = classify.data?.runs;
  return (
    <div data-testid="commit-report">
      <Result
        status="success"
        style={{ paddingBlock: 16 }}
        title={t('commit.doneTitle')}
        subTitle={
          <>
            {t('commit.doneBody', {
              name: fileName,
              new: formatCount(counts.new, lang),
              updated: formatCount(counts.updated, lang),
              unchanged: formatCount(counts.unchanged, lang),
            })}
            {counts.invalid > 0 && (
              <div style={{ color: '#cf1322' }}>
                {t('commit.doneSkipped', { count: formatCount(counts.invalid, lang) })}
              </div>
            )}
          </>
        }
        extra={[
          <Button
            key="customers"
            type="primary"
            icon={<TeamOutlined />}
            onClick={() => navigate('/customers')}
          >
            {t('commit.viewCustomers')}
          </Button>,
          download,
          can('classification.run') && !classified && (
            <Button
              key="classify"
              icon={<PartitionOutlined />}
              loading={classify.isPending}
              onClick={() => classify.mutate()}
              data-testid="classify-now"
            >
              {classify.isPending ? t('commit.classifying') : t('commit.classify')}
            </Button>
          ),
          <Button key="restart" onClick={onRestart}>
            {t('nav.restart')}
          </Button>,
        ]}
      />
      <ImportCountTiles counts={counts} testIdPrefix="final-count" />
      <div style={{ marginTop: 16 }}>
        {classify.error ? (
          <Alert type="error" showIcon title={importErrorSentence(classify.error, t, lang)} />
        ) : classified ? (
          <Alert
            type="success"
            showIcon
            data-testid="classified"
            title={t('commit.classified', {
              schemes: classified.length,
              population: formatCount(Math.max(0, ...classified.map((r) => r.population)), lang),
              changed: formatCount(
                classified.reduce((sum, r) => sum + r.changed, 0),
                lang,
              ),
            })}
            action={
              <Button size="small" onClick={() => navigate('/')}>
                {t('commit.viewDashboard')}
              </Button>
            }
          />
        ) : (
          can('classification.run') && (
            <Typography.Text type="secondary">{t('commit.classifyHint')}</Typography.Text>
          )
        )}
      </div>
    </div>
  );
}
