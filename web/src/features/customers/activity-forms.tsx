import { App, Form, Input, InputNumber, Modal, Rate, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/page-states.tsx';
import { useAddActivity } from './use-customers.ts';

const CHANNELS = ['phone', 'wechat', 'email', 'visit', 'chat', 'other'] as const;

/** Removes empty strings so the API stores null, not "". */
function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
}

export function AddInteractionModal({
  code,
  open,
  onClose,
}: {
  code: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('customers');
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const add = useAddActivity(code, 'interactions');
  return (
    <Modal
      open={open}
      title={t('interaction.add')}
      onCancel={onClose}
      okText={t('common:save')}
      confirmLoading={add.isPending}
      destroyOnHidden
      onOk={() =>
        form.validateFields().then((values) =>
          add.mutate(compact(values), {
            onSuccess: () => {
              void message.success(t('interaction.added'));
              form.resetFields();
              onClose();
            },
          }),
        )
      }
    >
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
      <ErrorText error={add.error} />
    </Modal>
  );
}

export function AddFeedbackModal({
  code,
  open,
  onClose,
}: {
  code: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('customers');
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const add = useAddActivity(code, 'feedback');
  return (
    <Modal
      open={open}
      title={t('feedback.add')}
      onCancel={onClose}
      okText={t('common:save')}
      confirmLoading={add.isPending}
      destroyOnHidden
      onOk={() =>
        form.validateFields().then((values) =>
          add.mutate(compact({ ...values, satisfaction: values.satisfaction || undefined }), {
            onSuccess: () => {
              void message.success(t('feedback.added'));
              form.resetFields();
              onClose();
            },
          }),
        )
      }
    >
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
      <ErrorText error={add.error} />
    </Modal>
  );
}
