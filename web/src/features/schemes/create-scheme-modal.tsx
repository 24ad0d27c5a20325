import { Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { ErrorText } from '../../components/page-states.tsx';
import { definitionOf, type Scheme, type SchemeDefinition, useCreateScheme } from './use-schemes.ts';

const BLANK = '__blank__';

/** A small starting point: one threshold on lifetime spend, everybody else in a catch-all class. */
function blankDefinition(): Omit<SchemeDefinition, 'key' | 'name'> {
  return {
    params: { threshold: 5000 },
    classes: [
      {
        key: 'target',
        name: { zh: '目标客户', en: 'Target' },
        color: '#cf1322',
        rule: 'total_amount >= $threshold',
        plan: { goal: '重点维护', contact_every_days: 30, owner_role: 'sales' },
      },
      { key: 'others', name: { zh: '其他客户', en: 'Others' }, color: '#8c8c8c', rule: 'true' },
    ],
  };
}

type Values = { template: string; key: string; zh: string; en: string };

/** 新建方案: a custom scheme copied from a built-in or custom scheme (or a blank one), published as v1. */
export function CreateSchemeModal({
  schemes,
  initialTemplate,
  onClose,
  onCreated,
}: {
  schemes: Scheme[];
  initialTemplate: string | null;
  onClose: () => void;
  onCreated: (key: string) => void;
}) {
  const { t } = useTranslation('schemes');
  const pick = useBilingual();
  const create = useCreateScheme();
  const [form] = Form.useForm<Values>();
  const suggestion = (templateKey: string | null) => {
    const source = schemes.find((s) => s.key === templateKey);
    return {
      key: source ? freeKey(`${source.key}_copy`, schemes) : '',
      zh: source ? `${source.name.zh}（副本）` : '',
      en: source ? `${source.name.en} (copy)` : '',
    };
  };

  const submit = async (values: Values) => {
    const from = schemes.find((s) => s.key === values.template);
    const base = from ? definitionOf(from) : blankDefinition();
    const definition: SchemeDefinition = {
      ...base,
      key: values.key.trim(),
      name: { zh: values.zh.trim(), en: values.en.trim() },
    };
    const created = await create.mutateAsync(definition);
    onCreated(created.key);
  };

  return (
    <Modal
      open
      title={t('create.title')}
      okText={t('create.submit')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph data-testid="create-scheme-modal" type="secondary">
        {t('create.intro')}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ template: initialTemplate ?? BLANK, ...suggestion(initialTemplate) }}
        onValuesChange={(changed: Partial<Values>) => {
          // A new template proposes its own key and names.
          if (changed.template !== undefined) form.setFieldsValue(suggestion(changed.template));
        }}
        onFinish={(v) => submit(v).catch(() => {})}
      >
        <Form.Item name="template" label={t('create.template')}>
          <Select
            options={[
              { value: BLANK, label: t('create.blank') },
              ...schemes.map((s) => ({ value: s.key, label: `${pick(s.name)} (${s.key} v${s.version})` })),
            ]}
          />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('create.key')}
          extra={t('create.keyHelp')}
          rules={[
            { required: true, message: t('validation.keyRequired') },
            { pattern: /^[a-z][a-z0-9_]*$/, message: t('validation.key') },
            { max: 64, message: t('validation.keyLength') },
            {
              validator: (_, v: string) =>
                schemes.some((s) => s.key === v?.trim())
                  ? Promise.reject(new Error(t('validation.schemeExists', { key: v })))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input placeholder="vip_care" autoComplete="off" data-testid="create-key" />
        </Form.Item>
        <Form.Item
          name="zh"
          label={t('create.nameZh')}
          rules={[{ required: true, whitespace: true, message: t('validation.nameRequired') }]}
        >
          <Input placeholder="VIP 关怀" data-testid="create-name-zh" />
        </Form.Item>
        <Form.Item
          name="en"
          label={t('create.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('validation.nameRequired') }]}
        >
          <Input placeholder="VIP care" data-testid="create-name-en" />
        </Form.Item>
      </Form>
      <ErrorText error={create.error} />
    </Modal>
  );
}

function freeKey(base: string, schemes: Scheme[]): string {
  const clean = base.slice(0, 60);
  if (!schemes.some((s) => s.key === clean)) return clean;
  let n = 2;
  while (schemes.some((s) => s.key === `${clean}${n}`)) n++;
  return `${clean}${n}`;
}
