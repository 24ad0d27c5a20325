import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Space, Spin, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { type DuplicateRow, type ImportReport, importApi, type RowError } from './import-api.ts';
import { ImportCountTiles } from './import-counts.tsx';
import { formatCount } from './import-format.ts';

/** Step 4: what a commit would do (counts, first errors, duplicates) and whether to skip invalid rows. */
export function DryRunStep({
  uploadId,
  report,
  pending,
  error,
  skipInvalid,
  onSkipInvalid,
  onRetry,
  onReupload,
}: {
  uploadId: string;
  report: ImportReport | undefined;
  pending: boolean;
  error: string | null;
  skipInvalid: boolean;
  onSkipInvalid: (skip: boolean) => void;
  onRetry: () => void;
  onReupload: () => void;
}) {
  const { t, i18n } = useTranslation('imports');
  const lang = i18n.language;
  const pick = useBilingual();

  if (pending) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }} data-testid="dry-run-pending">
        <Spin size="large" />
        <div style={{ marginTop: 12, color: 'rgba(0,0,0,0.55)' }}>{t('dryRun.running')}</div>
      </div>
    );
  }
  if (error || !report) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="dry-run-error"
        title={error ?? ''}
        action={
          <Space orientation="vertical">
            <Button icon={<ReloadOutlined />} onClick={onRetry}>
              {t('dryRun.retry')}
            </Button>
            <Button onClick={onReupload}>{t('dryRun.reupload')}</Button>
          </Space>
        }
      />
    );
  }

  const { counts } = report;
  const toWrite = counts.new + counts.updated;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="dry-run-report">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('dryRun.intro', { rows: formatCount(counts.rows, lang) })}
        {counts.newCustomers > 0 && ` ${t('dryRun.newCustomers', { count: counts.newCustomers })}`}
      </Typography.Paragraph>
      <ImportCountTiles counts={counts} testIdPrefix="dry-count" />

      {counts.invalid > 0 && (
        <div>
          <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t(counts.invalid > report.errors.length ? 'dryRun.errorsTitle' : 'dryRun.errorsTitleAll', {
                count: report.errors.length,
              })}
            </Typography.Title>
            {report.hasErrorReport && (
              <Button
                icon={<DownloadOutlined />}
                href={importApi.dryRunErrorsUrl(uploadId)}
                data-testid="dry-run-download-errors"
              >
                {t('dryRun.downloadErrors')}
              </Button>
            )}
          </Space>
          {counts.invalid > report.errors.length && (
            <Typography.Paragraph type="secondary">
              {t('dryRun.errorsMore', {
                total: formatCount(counts.invalid, lang),
                count: report.errors.length,
              })}
            </Typography.Paragraph>
          )}
          <Table<RowError & { key: number }>
            data-testid="dry-run-errors"
            size="small"
            pagination={report.errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            dataSource={report.errors.map((e, key) => ({ ...e, key }))}
            scroll={{ x: 640 }}
            columns={[
              { key: 'row', title: t('dryRun.row'), dataIndex: 'row', width: 80 },
              {
                key: 'column',
                title: t('dryRun.column'),
                dataIndex: 'column',
                width: 140,
                render: (v: string | null) => v ?? '—',
              },
              {
                key: 'value',
                title: t('dryRun.value'),
                dataIndex: 'value',
                width: 180,
                ellipsis: true,
                render: (v: string | null) => (v === null || v === '' ? '—' : v),
              },
              {
                key: 'reason',
                title: t('dryRun.reason'),
                render: (_, e) => <Typography.Text type="danger">{pick(e.reason)}</Typography.Text>,
              },
            ]}
          />
        </div>
      )}

      {report.duplicates.length > 0 && <Duplicates rows={report.duplicates} />}

      {counts.invalid > 0 ? (
        <Alert
          type={skipInvalid ? 'warning' : 'error'}
          showIcon
          title={
            <Checkbox
              data-testid="skip-invalid"
              checked={skipInvalid}
              onChange={(e) => onSkipInvalid(e.target.checked)}
            >
              <Typography.Text strong>
                {t('dryRun.skipInvalid', { count: formatCount(counts.invalid, lang) })}
              </Typography.Text>
            </Checkbox>
          }
          description={skipInvalid ? t('dryRun.skipInvalidHint') : t('dryRun.mustSkip')}
        />
      ) : toWrite === 0 ? (
        <Alert type="info" showIcon title={t('dryRun.nothingToDo')} />
      ) : (
        <Alert
          type="success"
          showIcon
          data-testid="dry-run-ready"
          title={t('dryRun.ready', { count: formatCount(toWrite, lang) })}
        />
      )}
    </Space>
  );
}

function Duplicates({ rows }: { rows: DuplicateRow[] }) {
  const { t } = useTranslation('imports');
  const by = (b: string) =>
    b === 'phone'
      ? t('dryRun.byPhone')
      : b === 'email'
        ? t('dryRun.byEmail')
        : b === 'erased'
          ? t('dryRun.byErased')
          : t('dryRun.byCode');
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('dryRun.duplicatesTitle')}
      </Typography.Title>
      <Table<DuplicateRow & { key: number }>
        data-testid="dry-run-duplicates"
        size="small"
        pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        dataSource={rows.map((d, key) => ({ ...d, key }))}
        columns={[
          { key: 'row', title: t('dryRun.row'), dataIndex: 'row', width: 80 },
          { key: 'code', title: t('dryRun.code'), dataIndex: 'code' },
          { key: 'existing', title: t('dryRun.existingCode'), dataIndex: 'existingCode' },
          { key: 'by', title: t('dryRun.by'), dataIndex: 'by', render: by },
        ]}
      />
    </div>
  );
}
