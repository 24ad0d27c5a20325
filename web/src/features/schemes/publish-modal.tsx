import { Alert, Button, Flex, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorText } from '../../components/page-states.tsx';
import { ChangeList } from './change-list.tsx';
import type { DraftChange } from './scheme-draft.ts';
import type { ParamUse } from './use-schemes.ts';

/**
 * 发布: confirms what the new version changes, takes an optional note and publishes. A 409
 * (someone published meanwhile) is said as a sentence with a way to reload; the edits stay
 * saved as the draft.
 */
export function PublishModal({
  version,
  changes,
  uses,
  previewed,
  pending,
  error,
  onPublish,
  onReload,
  onClose,
}: {
  /** the current version the edits are based on */
  version: number;
  changes: DraftChange[];
  uses: Record<string, ParamUse>;
  /** a preview of exactly these edits was looked at */
  previewed: boolean;
  pending: boolean;
  error: unknown;
  onPublish: (note: string) => void;
  onReload: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('schemes');
  const [note, setNote] = useState('');
  const conflict = error instanceof ApiError && error.status === 409;
  return (
    <Modal
      open
      title={t('publish.title', { version: version + 1 })}
      okText={t('publish.ok', { version: version + 1 })}
      onOk={() => onPublish(note.trim())}
      okButtonProps={{ disabled: conflict, 'data-testid': 'publish-confirm' }}
      confirmLoading={pending}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      <Flex vertical gap={12} data-testid="publish-modal">
        <Typography.Paragraph style={{ margin: 0 }}>
          {t('publish.intro', { version, next: version + 1 })}
        </Typography.Paragraph>
        <div
          style={{
            maxHeight: 260,
            overflowY: 'auto',
            padding: '8px 12px',
            background: '#fafafa',
            borderRadius: 8,
          }}
        >
          <ChangeList changes={changes} uses={uses} />
        </div>
        {previewed ? null : <Alert type="warning" showIcon title={t('publish.notPreviewed')} />}
        <div>
          <Typography.Text>{t('publish.note')}</Typography.Text>
          <Input.TextArea
            value={note}
            maxLength={500}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('publish.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)}
            data-testid="publish-note"
          />
        </div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('publish.afterwards')}
        </Typography.Text>
        <ErrorText error={error} />
        {conflict ? (
          <Button onClick={onReload} data-testid="publish-reload">
            {t('publish.reload')}
          </Button>
        ) : null}
      </Flex>
    </Modal>
  );
}
