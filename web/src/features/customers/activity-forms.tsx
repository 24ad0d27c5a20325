import { App, Form, type FormInstance, Input, InputNumber, Modal, Rate, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/page-states.tsx';
import { type ActivityInput, useAddActivity } from './use-customers.ts';

const CHANNELS = ['phone', 'wechat', 'email', 'visit', 'chat', 'other'] as const;

/** Removes empty strings so the API stores null, not "". */
function compact(values: Record<string, unknown>): ActivityInput {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
}

type ModalProps = { code: string; open: boolean; onClose: () => void };

/**
 * The modal both activity forms share: validate, send (empty fields dropped), confirm, close;
 * the server's refusal stays in the modal as a sentence.
 */
function ActivityModal({
  code,
  open,
  onClose,
  kind,
  children,
  prepare = (values) => values,
}: ModalProps & {
  kind: 'interactions' | 'feedback';
  children: (form: FormInstance) => ReactNode;
  prepare?: (values: Record<string, unknown>) => Record<string, unknown>;
}) {
  const { t } = useTranslation('customers');
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const add = useAddActivity(code, kind);
  const strings = kind === 'interactions' ? 'interaction' : 'feedback';
  return (
    <Modal
      open={open}
      title={t(`${strings}.add`)}
      onCancel={onClose}
      okText={t('common:save')}
      confirmLoading={add.isPending}
      destroyOnHidden
      onOk={() =>
        form.validateFields().then((values) =>
          add.mutate(compact(prepare(values)), {
            onSuccess: () => {
              void message.success(t(`${strings}.added`));
              form.resetFields();
              onClose();
            },
          }),
        )
      }
    >
      {children(form)}
      <ErrorText error={add.error} />
    </Modal>
  );
}

export function AddInteractionModal(props: ModalProps) {
  const { t } = useTranslation('customers');
  return (
    <ActivityModal {...props} kind="interactions">
      {(form) => (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ channel: 'phone', direction: 'outbound' }}
          preserve={false}
        >
          <Form.Item name="channel" label={t('interaction.channel')}>
            <Select options={CHANNELS.map((c) => ({ value: c, label: t(`interaction.channels.${c}`) }))} />
          </Form.Item>
          <Form.Item name="direction" label={t('interaction.direction')}>
            <Select
              options={(['outbound', 'inbound'] as const).map((d) => ({
                value: d,
                label: t(`interaction.directions.${d}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="subject"
            label={t('interaction.subject')}
            rules={[{ required: true, whitespace: true, message: t('interaction.subjectRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="request" label={t('interaction.request')}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Form.Item name="solution" label={t('interaction.solution')}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Form.Item name="outcome" label={t('interaction.outcome')}>
            <Input maxLength={1000} />
          </Form.Item>
        </Form>
      )}
    </ActivityModal>
  );
}

export function AddFeedbackModal(props: ModalProps) {
  const { t } = useTranslation('customers');
  return (
    <ActivityModal
      {...props}
      kind="feedback"
      prepare={(values) => ({ ...values, satisfaction: values.satisfaction || undefined })}
    >
      {(form) => (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'feedback', status: 'open' }}
          preserve={false}
        >
          <Form.Item name="kind" label={t('feedback.kind')}>
            <Select
              options={(['feedback', 'complaint'] as const).map((k) => ({
                value: k,
                label: t(`feedback.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="satisfaction" label={t('feedback.satisfaction')}>
            <Rate />
          </Form.Item>
          <Form.Item name="nps" label={t('feedback.nps')}>
            <InputNumber min={0} max={10} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="comment" label={t('feedback.comment')}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="suggestion" label={t('feedback.suggestion')}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Form.Item name="status" label={t('feedback.status')}>
            <Select
              options={(['open', 'handled'] as const).map((s) => ({
                value: s,
                label: t(`feedback.statuses.${s}`),
              }))}
            />
          </Form.Item>
        </Form>
      )}
    </ActivityModal>
  );
}
