import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import type { ClassStep, Condition } from './customer-types.ts';

/** ✓ / ✗ / ? for a condition's result (unknown means a value was missing and counts as not met). */
export function ResultIcon({ result }: { result: boolean | null }) {
  const { t } = useTranslation('customers');
  if (result === true)
    return <CheckCircleFilled style={{ color: '#52c41a' }} aria-label={t('detail.stepMatched')} />;
  if (result === false)
    return <CloseCircleFilled style={{ color: '#ff4d4f' }} aria-label={t('detail.stepNotMatched')} />;
  return <QuestionCircleFilled style={{ color: '#faad14' }} aria-label={t('detail.stepUnknown')} />;
}

function ConditionRow({ condition }: { condition: Condition }) {
  const { t } = useTranslation('customers');
  const pick = useBilingual();
  const indent = { paddingInlineStart: condition.depth * 20 };
  if (condition.kind !== 'condition') {
    const label = { all: 'detail.allOf', any: 'detail.anyOf', not: 'detail.notOf' }[condition.kind];
    return (
      <Flex gap={8} align="center" style={indent}>
        <ResultIcon result={condition.result} />
        <Typography.Text type="secondary">{t(label)}</Typography.Text>
      </Flex>
    );
  }
  // A class with the rule `true` takes everyone the classes before it did not.
  if (condition.values.length === 0 && condition.rule.en === 'true') {
    return (
      <Flex gap={8} align="center" style={indent}>
        <ResultIcon result={condition.result} />
        <Typography.Text type="secondary">{t('detail.otherwise')}</Typography.Text>
      </Flex>
    );
  }
  const actual = condition.values.filter((v) => v.role === 'actual' && pick(v.label) !== pick(v.value));
  const compared = condition.values.filter((v) => v.role === 'threshold' && pick(v.label) !== pick(v.value));
  return (
    <Flex gap={8} align="baseline" style={indent} data-testid="explanation-condition">
      <ResultIcon result={condition.result} />
      <div style={{ minWidth: 0 }}>
        <Typography.Text code style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}>
          {pick(condition.rule)}
        </Typography.Text>
        <Flex wrap gap={4} style={{ marginTop: 2 }}>
          {actual.map((v) => (
            <Tag key={`a:${pick(v.label)}`} color="blue" data-testid="condition-actual">
              {t('detail.actual')}：{pick(v.label)} = {pick(v.value)}
            </Tag>
          ))}
          {compared.map((v) => (
            <Tag key={`t:${pick(v.label)}`}>
              {t('detail.threshold')}：{pick(v.label)} = {pick(v.value)}
            </Tag>
          ))}
          {condition.result === null ? (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {t('detail.stepUnknown')}
            </Typography.Text>
          ) : null}
        </Flex>
      </div>
    </Flex>
  );
}

/** One class rule tried for the customer: the class, whether it matched, and each condition with values. */
export function StepExplanation({
  step,
  highlight,
  compact,
}: {
  step: ClassStep;
  highlight: boolean;
  /** only the conditions that failed: the reason a class before the customer's did not match */
  compact: boolean;
}) {
  const { t } = useTranslation('customers');
  const pick = useBilingual();
  const failed = step.conditions
    .filter((c) => c.kind === 'condition' && c.result !== true)
    .map((c) => ({ ...c, depth: 0 }));
  // Under a `not`, a condition that held is the reason; the whole trace says it better.
  const shortened = compact && step.result !== true && !step.conditions.some((c) => c.kind === 'not');
  const conditions = shortened && failed.length > 0 ? failed : step.conditions;
  const status =
    step.result === true
      ? 'detail.stepMatched'
      : step.result === false
        ? 'detail.stepNotMatched'
        : 'detail.stepUnknown';
  return (
    <div
      data-testid="explanation-step"
      style={{
        border: `1px solid ${highlight ? '#91caff' : '#f0f0f0'}`,
        background: highlight ? '#f0f7ff' : '#fafafa',
        borderRadius: 8,
        padding: '10px 12px',
      }}
    >
      <Flex gap={8} align="center" wrap style={{ marginBottom: conditions.length ? 8 : 0 }}>
        <ResultIcon result={step.result} />
        <Typography.Text strong>{pick(step.name)}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(status)}
        </Typography.Text>
      </Flex>
      <Flex vertical gap={6}>
        {conditions.map((c, i) => (
          // Conditions have no identity beyond their place in the rule.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is the rule's fixed reading order
          <ConditionRow key={i} condition={c} />
        ))}
      </Flex>
    </div>
  );
}
