import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, InputNumber, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { useRuleFields } from '../../components/rule-input.tsx';
import { type DraftErrors, PARAM_LABELS, paramUnit } from './scheme-draft.ts';
import type { ParamUse, ParamValue } from './use-schemes.ts';

const yuan = (v: number | string | undefined) =>
  v === undefined || v === '' ? '' : `${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * 参数与阈值: each `$param` the rules use, money in yuan with grouping (the API stores yuan
 * too: rules compare money fields in yuan), days with their unit, and what each one limits.
 */
export function ParamsCard({
  params,
  uses,
  onChange,
  errors,
  readOnly,
  extensible,
}: {
  params: Record<string, ParamValue>;
  uses: Record<string, ParamUse>;
  onChange: (params: Record<string, ParamValue>, touched: string) => void;
  errors: DraftErrors;
  readOnly: boolean;
  /** custom schemes may add and remove parameters */
  extensible: boolean;
}) {
  const { t } = useTranslation('schemes');
  const pick = useBilingual();
  const fields = useRuleFields();
  const [newName, setNewName] = useState('');
  const fieldLabel = (key: string) => {
    const f = fields.data?.find((x) => x.key === key);
    return f ? pick(f) : key;
  };
  const names = Object.keys(params);
  const set = (name: string, value: ParamValue) => onChange({ ...params, [name]: value }, `params.${name}`);
  const validNew = /^[a-z_][a-z0-9_]*$/i.test(newName) && !(newName in params);

  return (
    <Card title={t('params.title')} size="small" data-testid="params-card">
      {names.length === 0 ? (
        <Typography.Text type="secondary">{t('params.none')}</Typography.Text>
      ) : (
        <Form layout="vertical" component="div">
          {names.map((name) => {
            const value = params[name];
            const use = uses[name];
            const unit = paramUnit(use);
            const label = PARAM_LABELS[name] ? pick(PARAM_LABELS[name]) : name;
            const error = errors[`params.${name}`];
            return (
              <Form.Item
                key={name}
                label={
                  <Space size={6}>
                    <span>{label}</span>
                    <Typography.Text code style={{ fontSize: 12 }}>
                      ${name}
                    </Typography.Text>
                  </Space>
                }
                validateStatus={error ? 'error' : undefined}
                help={error}
                extra={
                  use?.fields.length
                    ? t('params.usedBy', { fields: use.fields.map(fieldLabel).join('、') })
                    : undefined
                }
                style={{ marginBottom: 12 }}
              >
                <Flex gap={8} align="center">
                  {typeof value === 'number' ? (
                    <InputNumber<number>
                      value={value}
                      disabled={readOnly}
                      style={{ width: '100%' }}
                      min={unit ? 0 : undefined}
                      step={unit === 'yuan' ? 500 : 1}
                      prefix={unit === 'yuan' ? '¥' : undefined}
                      suffix={
                        unit === 'yuan' ? t('params.yuan') : unit === 'days' ? t('params.days') : undefined
                      }
                      formatter={unit === 'yuan' ? yuan : undefined}
                      parser={unit === 'yuan' ? (v) => Number((v ?? '').replace(/[,\s¥]/g, '')) : undefined}
                      onChange={(v) => set(name, v ?? 0)}
                      data-testid={`param-${name}`}
                    />
                  ) : typeof value === 'boolean' ? (
                    <Switch checked={value} disabled={readOnly} onChange={(v) => set(name, v)} />
                  ) : (
                    <Input
                      value={value}
                      disabled={readOnly}
                      onChange={(e) => set(name, e.target.value)}
                      data-testid={`param-${name}`}
                    />
                  )}
                  {extensible && !readOnly ? (
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('params.remove', { name })}
                      onClick={() => {
                        const { [name]: _, ...rest } = params;
                        onChange(rest, `params.${name}`);
                      }}
                    />
                  ) : null}
                </Flex>
              </Form.Item>
            );
          })}
        </Form>
      )}
      {extensible && !readOnly ? (
        <Space.Compact style={{ width: '100%', marginTop: names.length ? 0 : 12 }}>
          <Input
            value={newName}
            placeholder={t('params.newName')}
            onChange={(e) => setNewName(e.target.value.trim())}
            status={newName && !validNew ? 'error' : undefined}
          />
          <Button
            icon={<PlusOutlined />}
            disabled={!validNew}
            onClick={() => {
              onChange({ ...params, [newName]: 0 }, `params.${newName}`);
              setNewName('');
            }}
          >
            {t('params.add')}
          </Button>
        </Space.Compact>
      ) : null}
    </Card>
  );
}
