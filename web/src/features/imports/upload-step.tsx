import {
  CheckCircleFilled,
  CustomerServiceOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  InboxOutlined,
  ShoppingCartOutlined,
  SmileOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Col, Progress, Row, Space, Spin, Typography, Upload } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_ENTITIES, type ImportEntity, type UploadInfo } from './import-api.ts';
import { formatBytes } from './import-format.ts';

const ICONS: Record<ImportEntity, ReactNode> = {
  customers: <TeamOutlined />,
  orders: <ShoppingCartOutlined />,
  interactions: <CustomerServiceOutlined />,
  feedback: <SmileOutlined />,
};

/** Headers of the downloadable templates: the names the automatic mapping knows best. */
const TEMPLATE_HEADERS: Record<ImportEntity, { zh: string[]; en: string[] }> = {
  customers: {
    zh: ['客户编号', '客户名称', '性别', '出生日期', '手机', '邮箱', '地区', '省份', '城市', '行业', '来源'],
    en: [
      'Customer code',
      'Name',
      'Gender',
      'Birth date',
      'Phone',
      'Email',
      'Region',
      'Province',
      'City',
      'Industry',
      'Source',
    ],
  },
  orders: {
    zh: ['客户编号', '订单号', '消费时间', '消费金额', '数量', '单价', '产品', '类别', '渠道', '状态'],
    en: [
      'Customer code',
      'Order no',
      'Date',
      'Amount',
      'Quantity',
      'Unit price',
      'Product',
      'Category',
      'Channel',
      'Status',
    ],
  },
  interactions: {
    zh: ['客户编号', '时间', '方式', '方向', '主题', '客户需求', '解决方案', '结果'],
    en: ['Customer code', 'Date', 'Channel', 'Direction', 'Subject', 'Request', 'Solution', 'Outcome'],
  },
  feedback: {
    zh: ['客户编号', '日期', '满意度', '推荐意愿', '意见', '建议', '类型', '状态', '处理结果'],
    en: [
      'Customer code',
      'Date',
      'Satisfaction',
      'NPS',
      'Comment',
      'Suggestion',
      'Kind',
      'Status',
      'Resolution',
    ],
  },
};

const ACCEPTED = /\.(csv|tsv|txt|xlsx)$/i;

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fileName: string; loaded: number; total: number }
  | { phase: 'failed'; message: string };

function downloadTemplate(entity: ImportEntity, en: boolean, name: string) {
  const headers = TEMPLATE_HEADERS[entity][en ? 'en' : 'zh'];
  // A BOM so Excel opens the Chinese headers as UTF-8.
  const blob = new Blob([`\uFEFF${headers.join(',')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Step 1: what to import, and the file (drag and drop or click), with upload progress. */
export function UploadStep({
  entity,
  onEntity,
  state,
  upload,
  onFile,
  onCancel,
  onWrongType,
}: {
  entity: ImportEntity;
  onEntity: (entity: ImportEntity) => void;
  state: UploadState;
  upload: UploadInfo | null;
  onFile: (file: File) => void;
  onCancel: () => void;
  onWrongType: (name: string) => void;
}) {
  const { t, i18n } = useTranslation('imports');
  const en = i18n.language.startsWith('en');
  const busy = state.phase === 'uploading';

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('entity.label')}
        </Typography.Title>
        <Row gutter={[16, 16]} role="radiogroup" aria-label={t('entity.label')}>
          {IMPORT_ENTITIES.map((key) => {
            const selected = key === entity;
            return (
              <Col key={key} xs={24} sm={12} xl={6}>
                <Card
                  hoverable={!busy}
                  size="small"
                  role="radio"
                  aria-checked={selected}
                  tabIndex={0}
                  data-testid={`entity-${key}`}
                  onClick={() => !busy && onEntity(key)}
                  onKeyDown={(e) => {
                    if (!busy && (e.key === 'Enter' || e.key === ' ')) onEntity(key);
                  }}
                  style={{
                    height: '100%',
                    cursor: busy ? 'not-allowed' : 'pointer',
                    borderColor: selected ? '#1677ff' : undefined,
                    background: selected ? '#f0f7ff' : undefined,
                    boxShadow: selected ? '0 0 0 1px #1677ff' : undefined,
                  }}
                >
                  <Space align="start" size="middle">
                    <span style={{ fontSize: 24, color: selected ? '#1677ff' : 'rgba(0,0,0,0.45)' }}>
                      {ICONS[key]}
                    </span>
                    <div>
                      <Typography.Text strong>
                        {t(`entity.${key}`)} {selected && <CheckCircleFilled style={{ color: '#1677ff' }} />}
                      </Typography.Text>
                      <div style={{ color: 'rgba(0,0,0,0.55)', fontSize: 13, marginTop: 4 }}>
                        {t(`entity.${key}Desc`)}
                      </div>
                      <div style={{ fontSize: 12, marginTop: 6, color: 'rgba(0,0,0,0.45)' }}>
                        {t('entity.required')}
                        {t(`entity.${key}Required`)}
                      </div>
                    </div>
                  </Space>
                </Card>
              </Col>
            );
          })}
        </Row>
      </div>

      {upload && state.phase !== 'uploading' && (
        <Alert
          type="info"
          showIcon
          icon={<FileExcelOutlined />}
          data-testid="current-upload"
          title={t('upload.current', { name: upload.fileName, size: formatBytes(upload.size, t) })}
        />
      )}

      <Upload.Dragger
        name="file"
        multiple={false}
        showUploadList={false}
        disabled={busy}
        accept=".csv,.tsv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid="upload-dragger"
        beforeUpload={(file) => {
          if (ACCEPTED.test(file.name)) onFile(file);
          else onWrongType(file.name);
          // The wizard uploads by itself (with progress and CSRF); antd must not.
          return false;
        }}
      >
        {state.phase === 'uploading' ? (
          <UploadProgress state={state} onCancel={onCancel} />
        ) : (
          <div style={{ padding: '8px 16px' }}>
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{upload ? t('upload.replace') : t('upload.drop')}</p>
            <p className="ant-upload-hint">{t('upload.hint')}</p>
          </div>
        )}
      </Upload.Dragger>

      {state.phase === 'failed' && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="upload-error"
          title={t('upload.failedTitle')}
          description={state.message}
        />
      )}

      <Button
        type="link"
        icon={<DownloadOutlined />}
        style={{ paddingInline: 0 }}
        onClick={() => downloadTemplate(entity, en, t(`entity.${entity}`))}
      >
        {t('upload.template', { entity: t(`entity.${entity}`) })}
      </Button>
    </Space>
  );
}

function UploadProgress({
  state,
  onCancel,
}: {
  state: Extract<UploadState, { phase: 'uploading' }>;
  onCancel: () => void;
}) {
  const { t } = useTranslation('imports');
  const sent = state.total > 0 && state.loaded >= state.total;
  const percent = state.total > 0 ? Math.floor((state.loaded / state.total) * 100) : 0;
  return (
    // Clicks here must not open the file chooser again.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops the click reaching the drop zone
    <div
      style={{ padding: '16px 48px', cursor: 'default' }}
      data-testid="upload-progress"
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <Typography.Text strong>{t('upload.uploading', { name: state.fileName })}</Typography.Text>
      <Progress percent={percent} status="active" />
      {sent ? (
        <Space>
          <Spin size="small" />
          <Typography.Text type="secondary">{t('upload.reading')}</Typography.Text>
        </Space>
      ) : (
        <Space size="large">
          <Typography.Text type="secondary">
            {t('upload.uploadedOf', {
              done: formatBytes(state.loaded, t),
              total: formatBytes(state.total, t),
            })}
          </Typography.Text>
          <Button size="small" onClick={onCancel}>
            {t('upload.cancel')}
          </Button>
        </Space>
      )}
    </div>
  );
}
