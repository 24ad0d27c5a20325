import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  ColorPicker,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Tooltip,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { type RuleCheckResult, RuleInput } from '../../components/rule-input.tsx';
import { CLASS_COLORS, type DraftErrors } from './scheme-draft.ts';
import type { ClassPlan, ParamValue, SchemeClass } from './use-schemes.ts';

const ROLES = ['admin', 'manager', 'sales', 'service', 'analyst'] as const;
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace";

/** One class of a scheme: its place in the order, names, colour, rule and maintenance plan. */
export function ClassCard({
  value,
  index,
  count,
  params,
  errors,
  readOnly,
  structural,
  fixedKey,
  onChange,
  onMove,
  onRemove,
  onRuleCheck,
  ruleChecked,
}: {
  value: SchemeClass;
  index: number;
  count: number;
  params: Record<string, ParamValue>;
  errors: DraftErrors;
  readOnly: boolean;
  /** classes may be added, removed and reordered (custom schemes) */
  structural: boolean;
  /** the key is stored with every customer's class; only a class not yet published may rename it */
  fixedKey: boolean;
  onChange: (patch: Partial<SchemeClass>, touched: string) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  onRuleCheck: (result: RuleCheckResult | null) => void;
  /** the rule box's own check; when it already marks an error the server's is not repeated */
  ruleChecked: RuleCheckResult | null | undefined;
}) {
  const { t } = useTranslation('schemes');
  const pick = useBilingual();
  const at = `classes.${index}`;
  const err = (path: string) => errors[`${at}.${path}`];
  const item = (path: string) => ({
    validateStatus: err(path) ? ('error' as const) : undefined,
    help: err(path),
    style: { marginBottom: 8 },
  });
  const plan = value.plan ?? {};
  const setPlan = (patch: Partial<ClassPlan>) => {
    const next: ClassPlan = { ...plan, ...patch };
    for (const k of Object.keys(next) as (keyof ClassPlan)[]) {
      if (next[k] === undefined || next[k] === '' || next[k] === null) delete next[k];
    }
    onChange({ plan: Object.keys(next).length ? next : undefined }, 'plan');
  };
  const ruleError = err('rule');

  return (
    <Card
      size="small"
      data-testid={`class-card-${value.key}`}
      styles={{ header: { borderLeft: `4px solid ${value.color ?? '#d9d9d9'}` } }}
      title={
        <Space size={8} style={{ minWidth: 0 }}>
          <Tooltip title={t('classes.orderHint')}>
            <span
              style={{
                display: 'inline-flex',
                width: 22,
                height: 22,
                borderRadius: 11,
                background: '#f0f0f0',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 12,
              }}
            >
              {index + 1}
            </span>
          </Tooltip>
          <span style={{ fontWeight: 600 }}>{pick(value.name) || value.key}</span>
          <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
            {value.key}
          </Typography.Text>
        </Space>
      }
      extra={
        structural && !readOnly ? (
          <Space size={0}>
            <Button
              type="text"
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={index === 0}
              aria-label={t('classes.up')}
              onClick={() => onMove(index - 1)}
            />
            <Button
              type="text"
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index === count - 1}
              aria-label={t('classes.down')}
              onClick={() => onMove(index + 1)}
            />
            <Popconfirm
              title={t('classes.removeConfirm', { name: pick(value.name) })}
              onConfirm={onRemove}
              disabled={count <= 1}
            >
              <Button
                type="text"
                size="small"
                danger
                icon={<DeleteOutlined />}
                disabled={count <= 1}
                aria-label={t('classes.remove')}
              />
            </Popconfirm>
          </Space>
        ) : null
      }
    >
      <Form layout="vertical" component="div" disabled={readOnly}>
        <Row gutter={12}>
          <Col xs={12} md={5}>
            <Form.Item label={t('classes.key')} {...item('key')}>
              <Input
                value={value.key}
                disabled={readOnly || fixedKey}
                onChange={(e) => onChange({ key: e.target.value.trim() }, 'key')}
                style={{ fontFamily: MONO }}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item label={t('classes.nameZh')} {...item('name.zh')}>
              <Input
                value={value.name.zh}
                onChange={(e) => onChange({ name: { ...value.name, zh: e.target.value } }, 'name.zh')}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item label={t('classes.nameEn')} {...item('name.en')}>
              <Input
                value={value.name.en}
                onChange={(e) => onChange({ name: { ...value.name, en: e.target.value } }, 'name.en')}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item label={t('classes.color')} style={{ marginBottom: 8 }}>
              <ColorPicker
                value={value.color ?? '#d9d9d9'}
                showText
                disabledAlpha
                presets={[{ label: t('classes.presets'), colors: CLASS_COLORS }]}
                onChangeComplete={(c) => onChange({ color: c.toHexString() }, 'color')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('classes.rule')} required style={{ marginBottom: 8 }}>
          {readOnly ? (
            <pre
              style={{
                margin: 0,
                padding: '6px 10px',
                background: '#fafafa',
                borderRadius: 6,
                fontFamily: MONO,
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
              }}
            >
              {value.rule}
            </pre>
          ) : (
            <RuleInput
              value={value.rule}
              params={params}
              rows={1}
              testId={`rule-${value.key}`}
              onChange={(rule) => onChange({ rule }, 'rule')}
              onCheck={onRuleCheck}
            />
          )}
          {ruleError && ruleChecked?.ok !== false ? (
            <Typography.Text
              type="danger"
              role="alert"
              data-testid={`class-error-${value.key}`}
              style={{ display: 'block', marginTop: 4 }}
            >
              {ruleError}
            </Typography.Text>
          ) : null}
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={7}>
            <Form.Item label={t('classes.goal')} style={{ marginBottom: 0 }}>
              <Input value={plan.goal ?? ''} onChange={(e) => setPlan({ goal: e.target.value })} />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item label={t('classes.actions')} style={{ marginBottom: 0 }}>
              <Input.TextArea
                value={plan.actions ?? ''}
                autoSize={{ minRows: 1, maxRows: 4 }}
                onChange={(e) => setPlan({ actions: e.target.value })}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item label={t('classes.contactEvery')} style={{ marginBottom: 0 }}>
              <InputNumber<number>
                value={plan.contact_every_days}
                min={1}
                precision={0}
                suffix={t('params.days')}
                style={{ width: '100%' }}
                onChange={(v) => setPlan({ contact_every_days: v ?? undefined })}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item label={t('classes.ownerRole')} style={{ marginBottom: 0 }}>
              <Select
                value={plan.owner_role}
                allowClear
                options={ROLES.map((r) => ({ value: r, label: t(`common:role.${r}`) }))}
                onChange={(v) => setPlan({ owner_role: v })}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
