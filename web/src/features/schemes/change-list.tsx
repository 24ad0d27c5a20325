import { ArrowRightOutlined } from '@ant-design/icons';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBilingual } from '../../components/bilingual.ts';
import { type DraftChange, PARAM_LABELS, paramUnit } from './scheme-draft.ts';
import type { ParamUse, ParamValue } from './use-schemes.ts';

const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace";

/** A parameter value as people read it: ¥5,000 for money, 90 天 for days. */
export function useParamText(uses: Record<string, ParamUse>) {
  const { t, i18n } = useTranslation('schemes');
  return (name: string, value: ParamValue | undefined) => {
    if (value === undefined) return '—';
    if (typeof value !== 'number') return String(value);
    const unit = paramUnit(uses[name]);
    const n = value.toLocaleString(i18n.language.startsWith('en') ? 'en-US' : 'zh-CN');
    if (unit === 'yuan') return `¥${n}`;
    if (unit === 'days') return `${n} ${t('params.days')}`;
    return n;
  };
}

/** What one definition changes against another, one line per change. */
export function ChangeList({ changes, uses }: { changes: DraftChange[]; uses: Record<string, ParamUse> }) {
  const { t } = useTranslation('schemes');
  const pick = useBilingual();
  const paramText = useParamText(uses);
  if (changes.length === 0) return <Typography.Text type="secondary">{t('changes.none')}</Typography.Text>;
  const arrow = <ArrowRightOutlined style={{ margin: '0 6px', color: 'rgba(0,0,0,0.45)' }} />;
  const value = (v: string) =>
    v ? (
      <span
        style={{
          fontFamily: MONO,
          background: '#fafafa',
          padding: '0 4px',
          borderRadius: 4,
          wordBreak: 'break-all',
        }}
      >
        {v}
      </span>
    ) : (
      <Typography.Text type="secondary">{t('changes.empty')}</Typography.Text>
    );
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="change-list">
      {changes.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a static list
        <li key={i} style={{ marginBottom: 6 }}>
          {c.kind === 'param' ? (
            <>
              <Tag color="blue">{t('changes.param')}</Tag>
              {PARAM_LABELS[c.name] ? pick(PARAM_LABELS[c.name]) : c.name}{' '}
              <Typography.Text code>${c.name}</Typography.Text>：
              <strong>{paramText(c.name, c.before)}</strong>
              {arrow}
              <strong>{paramText(c.name, c.after)}</strong>
            </>
          ) : c.kind === 'schemeName' ? (
            <>
              <Tag>{t('changes.schemeName')}</Tag>
              {c.before}
              {arrow}
              {c.after}
            </>
          ) : c.kind === 'classAdded' ? (
            <>
              <Tag color="green">{t('changes.added')}</Tag>
              {c.name} <Typography.Text code>{c.key}</Typography.Text>
            </>
          ) : c.kind === 'classRemoved' ? (
            <>
              <Tag color="red">{t('changes.removed')}</Tag>
              {c.name} <Typography.Text code>{c.key}</Typography.Text>
            </>
          ) : c.kind === 'classMoved' ? (
            <>
              <Tag color="purple">{t('changes.moved')}</Tag>
              {c.name}：{t('changes.position', { n: c.before + 1 })}
              {arrow}
              {t('changes.position', { n: c.after + 1 })}
            </>
          ) : (
            <>
              <Tag color="gold">{t(`changes.field.${c.field}`)}</Tag>
              {c.name}：{value(c.before)}
              {arrow}
              {value(c.after)}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
