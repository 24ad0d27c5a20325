import { Alert, Descriptions, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UploadInfo } from './import-api.ts';
import { cellText, delimiterLabel, encodingLabel, formatBytes, formatCount } from './import-format.ts';

/** Step 2: what the server read from the file (format, encoding, delimiter, header, rows) and its first rows. */
export function DetectStep({ upload }: { upload: UploadInfo }) {
  const { t, i18n } = useTranslation('imports');
  const lang = i18n.language;
  const xlsx = upload.format === 'xlsx';
  const rows = t(
    upload.rowCount.kind === 'exact'
      ? 'detect.rowsExact'
      : upload.rowCount.kind === 'estimate'
        ? 'detect.rowsEstimate'
        : 'detect.rowsAtLeast',
    { count: formatCount(upload.rowCount.count, lang) },
  );
  const value = (testId: string, text: string) => <span data-testid={testId}>{text}</span>;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        title={t('detect.title')}
        items={[
          {
            key: 'file',
            label: t('detect.file'),
            children: value(
              'detect-file',
              t('detect.fileValue', { name: upload.fileName, size: formatBytes(upload.size, t) }),
            ),
          },
          {
            key: 'entity',
            label: t('detect.entity'),
            children: value('detect-entity', t(`entity.${upload.entity}`)),
          },
          {
            key: 'format',
            label: t('detect.format'),
            children: value('detect-format', t(xlsx ? 'detect.formatXlsx' : 'detect.formatCsv')),
          },
          {
            key: 'encoding',
            label: t('detect.encoding'),
            children: value(
              'detect-encoding',
              xlsx ? t('detect.notApplicable') : encodingLabel(upload.encoding),
            ),
          },
          xlsx
            ? {
                key: 'sheet',
                label: t('detect.sheet'),
                children: value('detect-sheet', upload.sheet ?? '—'),
              }
            : {
                key: 'delimiter',
                label: t('detect.delimiter'),
                children: value('detect-delimiter', delimiterLabel(upload.delimiter, t)),
              },
          {
            key: 'header',
            label: t('detect.header'),
            children: value(
              'detect-header',
              upload.headerRow === null
                ? t('detect.noHeader')
                : `${t('detect.headerRow', { row: upload.headerRow })} · ${t('detect.columns', { count: upload.headers.length })}`,
            ),
          },
          {
            key: 'rows',
            label: t('detect.rows'),
            children: value('detect-rows', rows),
          },
        ]}
      />
      {upload.headerRow === null && <Alert type="warning" showIcon title={t('detect.noHeaderWarning')} />}
      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('detect.preview', { count: upload.sample.length })}
        </Typography.Title>
        <PreviewTable upload={upload} />
      </div>
    </Space>
  );
}

type PreviewRow = { key: number; cells: UploadInfo['sample'][number] };

function PreviewTable({ upload }: { upload: UploadInfo }) {
  const rows: PreviewRow[] = upload.sample.map((cells, i) => ({ key: i, cells }));
  const first = (upload.headerRow ?? 0) + 1;
  return (
    <Table<PreviewRow>
      data-testid="preview-table"
      size="small"
      bordered
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      columns={[
        {
          key: '#',
          title: '#',
          width: 56,
          fixed: 'left',
          render: (_, row) => <Typography.Text type="secondary">{first + row.key}</Typography.Text>,
        },
        ...upload.headers.map((header, i) => ({
          key: String(i),
          title: <span style={{ whiteSpace: 'nowrap' }}>{header}</span>,
          render: (_: unknown, row: PreviewRow) => (
            <span style={{ whiteSpace: 'nowrap' }}>{cellText(row.cells[i])}</span>
          ),
        })),
      ]}
    />
  );
}
