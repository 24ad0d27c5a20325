import { CheckCircleFilled, KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A password or token the server will never show again: large, monospaced, with a copy
 * button, and a modal that only closes through an explicit "I have saved it".
 */
export function OneTimeSecret({
  open,
  title,
  body,
  secret,
  onClose,
}: {
  open: boolean;
  title: string;
  body: string;
  secret: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('settings');
  return (
    <Modal
      open={open}
      title={
        <Space>
          <CheckCircleFilled style={{ color: '#52c41a' }} />
          {title}
        </Space>
      }
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="one-time-secret-done">
          {t('users.done')}
        </Button>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={body} style={{ marginBottom: 16 }} />
      <Typography.Text type="secondary">
        <KeyOutlined /> {t('users.oneTimePassword')}
      </Typography.Text>
      <div
        style={{
          marginTop: 8,
          padding: '12px 16px',
          background: '#f6f8fa',
          border: '1px solid #e5e7eb',
          borderRadius: 8,
        }}
      >
        <Typography.Text
          copyable={{ text: secret, tooltips: [t('users.copy'), t('users.copied')] }}
          style={{
            fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
            fontSize: 16,
            wordBreak: 'break-all',
          }}
        >
          <span data-testid="one-time-secret">{secret}</span>
        </Typography.Text>
      </div>
    </Modal>
  );
}
