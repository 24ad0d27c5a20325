import {
  Alert,
  App,
  Button,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { ErrorText } from '../../components/page-states.tsx';
import type { CustomerProfile } from './customer-types.ts';
import { type ProfileChange, useUpdateCustomer } from './use-customers.ts';

/** Fields the drawer edits, in display order. PII fields start empty: a new value replaces the stored one. */
const FIELDS = [
  'name',
  'kind',
  'gender',
  'age',
  'phone',
  'email',
  'address',
  'region',
  'province',
  'city',
  'source',
  'industry',
  'companySize',
  'preference',
  'consentMarketing',
] as const satisfies readonly (keyof ProfileChange)[];
type Field = (typeof FIELDS)[number];
const PII: ReadonlySet<Field> = new Set(['phone', 'email', 'address']);

type Values = Partial<Record<Field, string | number | boolean | null>>;

function formValuesOf(p: CustomerProfile): Values {
  const out: Values = {};
  for (const f of FIELDS) out[f] = PII.has(f) ? undefined : p[f];
  return out;
}

const norm = (v: unknown) =>
  v === undefined || v === '' ? null : typeof v === 'string' ? v.trim() || null : v;

/** What the user changed relative to the record they started from. */
function changesOf(base: CustomerProfile, values: Values): ProfileChange {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = norm(values[f]);
    if (PII.has(f)) {
      if (v !== null) out[f] = v;
    } else if (v !== norm(base[f])) out[f] = v;
  }
  return out as ProfileChange;
}

type Conflict = { current: CustomerProfile; mine: ProfileChange };

function currentOf(error: unknown): CustomerProfile | undefined {
  if (!(error instanceof ApiError) || error.status !== 409) return undefined;
  const details = error.details as { current?: CustomerProfile } | undefined;
  return details?.current;
}

/** Profile editing with optimistic locking: a stale version gets a field-by-field comparison, then reload or overwrite. */
export function CustomerEditDrawer({
  profile,
  open,
  onClose,
}: {
  profile: CustomerProfile;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('customers');
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateCustomer(profile.code);
  // The record as it was when editing began; the version sent with the change comes from it.
  const [base, setBase] = useState(profile);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the base is taken once, when the drawer opens
  useEffect(() => {
    if (!open) return;
    setBase(profile);
    setConflict(null);
    update.reset();
    form.setFieldsValue(formValuesOf(profile));
  }, [open]);

  const save = (mine: ProfileChange, version: number) => {
    if (Object.keys(mine).length === 0) {
      void message.info(t('edit.unchanged'));
      onClose();
      return;
    }
    update.mutate(
      { ...mine, version },
      {
        onSuccess: () => {
          void message.success(t('edit.saved'));
          setConflict(null);
          onClose();
        },
        onError: (error) => {
          const current = currentOf(error);
          if (current) setConflict({ current, mine });
        },
      },
    );
  };

  const reload = () => {
    if (!conflict) return;
    setBase(conflict.current);
    form.setFieldsValue(formValuesOf(conflict.current));
    setConflict(null);
    update.reset();
  };

  const label = (f: Field) => t(`profile.${f}`);
  const shown = (f: Field, v: unknown) => {
    if (v === null || v === undefined || v === '') return t('edit.empty');
    if (typeof v === 'boolean') return v ? t('common:yes') : t('common:no');
    if (f === 'kind' || f === 'gender') return t(`${f}.${v}`, String(v));
    return String(v);
  };
  const rows = conflict
    ? FIELDS.filter((f) => f in conflict.mine || norm(base[f]) !== norm(conflict.current[f])).map((f) => ({
        field: f,
        mine: shown(f, f in conflict.mine ? conflict.mine[f] : base[f]),
        current: shown(f, conflict.current[f]),
        changedByMe: f in conflict.mine,
        differs: f in conflict.mine ? norm(conflict.mine[f]) !== norm(conflict.current[f]) : true,
      }))
    : [];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('edit.title')}
      size={560}
      destroyOnHidden={false}
      data-testid="edit-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common:cancel')}</Button>
          <Button
            type="primary"
            loading={update.isPending}
            disabled={Boolean(conflict)}
            data-testid="save-customer"
            onClick={() =>
              form.validateFields().then((values) => save(changesOf(base, values), base.version))
            }
          >
            {t('common:save')}
          </Button>
        </Flex>
      }
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          data-testid="edit-conflict"
          style={{ marginBottom: 16 }}
          title={t('edit.conflictTitle')}
          description={
            <Flex vertical gap={12}>
              <span>{t('edit.conflictText', { version: conflict.current.version })}</span>
              <Table
                size="small"
                pagination={false}
                rowKey="field"
                data-testid="conflict-table"
                dataSource={rows}
                columns={[
                  { key: 'field', title: t('edit.field'), render: (_, r) => label(r.field) },
                  {
                    key: 'mine',
                    title: t('edit.yours'),
                    render: (_, r) => (
                      <span style={{ fontWeight: r.changedByMe ? 600 : undefined }}>{r.mine}</span>
                    ),
                  },
                  {
                    key: 'current',
                    title: t('edit.theirs'),
                    render: (_, r) => (
                      <span
                        style={{
                          color: r.differs ? '#d46b08' : undefined,
                          fontWeight: r.differs ? 600 : undefined,
                        }}
                      >
                        {r.current}
                      </span>
                    ),
                  },
                ]}
              />
              <Space wrap>
                <Button data-testid="conflict-reload" onClick={reload}>
                  {t('edit.reload')}
                </Button>
                <Button
                  danger
                  type="primary"
                  data-testid="conflict-overwrite"
                  loading={update.isPending}
                  onClick={() => save(conflict.mine, conflict.current.version)}
                >
                  {t('edit.overwrite')}
                </Button>
              </Space>
            </Flex>
          }
        />
      ) : (
        <ErrorText error={update.error} />
      )}
      <Form form={form} layout="vertical" disabled={Boolean(conflict)} style={{ marginTop: 8 }}>
        <Form.Item name="name" label={label('name')}>
          <Input maxLength={200} data-testid="edit-name" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="kind" label={label('kind')} style={{ flex: 1 }}>
            <Select
              options={(['individual', 'company'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="gender" label={label('gender')} style={{ flex: 1 }}>
            <Select
              allowClear
              options={(['male', 'female'] as const).map((g) => ({ value: g, label: t(`gender.${g}`) }))}
            />
          </Form.Item>
          <Form.Item name="age" label={label('age')} style={{ width: 100 }}>
            <InputNumber min={0} max={150} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        {(['phone', 'email', 'address'] as const).map((f) => (
          <Form.Item key={f} name={f} label={label(f)} extra={base[f] ? t('edit.phoneHint') : undefined}>
            <Input
              placeholder={base[f] ?? ''}
              maxLength={f === 'address' ? 500 : 254}
              data-testid={`edit-${f}`}
            />
          </Form.Item>
        ))}
        <Flex gap={12}>
          {(['region', 'province', 'city'] as const).map((f) => (
            <Form.Item key={f} name={f} label={label(f)} style={{ flex: 1 }}>
              <Input maxLength={50} data-testid={`edit-${f}`} />
            </Form.Item>
          ))}
        </Flex>
        <Flex gap={12}>
          {(['source', 'industry', 'companySize'] as const).map((f) => (
            <Form.Item key={f} name={f} label={label(f)} style={{ flex: 1 }}>
              <Input maxLength={f === 'companySize' ? 50 : 100} />
            </Form.Item>
          ))}
        </Flex>
        <Form.Item name="preference" label={label('preference')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="consentMarketing" label={label('consentMarketing')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
