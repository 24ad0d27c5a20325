import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Bilingual, useBilingual } from '../../components/bilingual.ts';

export type ClassLabel = { key: string; name: Bilingual; color?: string };

/** Fallback colours for classes defined without one, in antd's palette order. */
const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96', '#faad14', '#2f54eb'];

export function classColor(classes: readonly ClassLabel[], key: string): string {
  const i = classes.findIndex((c) => c.key === key);
  return classes[i]?.color ?? PALETTE[(i < 0 ? classes.length : i) % PALETTE.length];
}

/** "2024-06-30 14:05" in the user's locale, or a dash. */
export function formatInstant(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(lang.startsWith('en') ? 'en-GB' : 'zh-CN', {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
}

export function formatCount(n: number, lang: string): string {
  return n.toLocaleString(lang.startsWith('en') ? 'en-US' : 'zh-CN');
}

/**
 * Customers per class as one stacked bar in class order with a legend of counts; each
 * count links to the customers of that class.
 */
export function ClassCountsBar({
  schemeKey,
  classes,
  counts,
  compact = false,
}: {
  schemeKey: string;
  classes: readonly ClassLabel[];
  counts: Record<string, number>;
  compact?: boolean;
}) {
  const { i18n } = useTranslation();
  const pick = useBilingual();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  // Classes no longer in the definition (an older version's run) still show.
  const keys = [
    ...classes.map((c) => c.key),
    ...Object.keys(counts).filter((k) => !classes.some((c) => c.key === k)),
  ];
  const nameOf = (key: string) => pick(classes.find((c) => c.key === key)?.name) || key;
  return (
    <div data-testid={`class-counts-${schemeKey}`} style={{ minWidth: 0 }}>
      <div
        style={{
          display: 'flex',
          height: compact ? 8 : 12,
          borderRadius: 4,
          overflow: 'hidden',
          background: '#f0f0f0',
        }}
      >
        {total > 0
          ? keys.map((key) =>
              counts[key] ? (
                <Tooltip key={key} title={`${nameOf(key)}：${formatCount(counts[key], i18n.language)}`}>
                  <div
                    style={{
                      width: `${(counts[key] / total) * 100}%`,
                      background: classColor(classes, key),
                    }}
                  />
                </Tooltip>
              ) : null,
            )
          : null}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', columnGap: 12, rowGap: 2, marginTop: 4 }}>
        {keys.map((key) => (
          <Link
            key={key}
            to={`/customers?scheme=${encodeURIComponent(schemeKey)}&class=${encodeURIComponent(key)}`}
            data-testid={`class-count-${key}`}
            data-count={counts[key] ?? 0}
            style={{ whiteSpace: 'nowrap', color: 'inherit', fontSize: compact ? 12 : 13 }}
          >
            <span
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                borderRadius: 2,
                marginRight: 4,
                background: classColor(classes, key),
              }}
            />
            <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
              {nameOf(key)}
            </Typography.Text>{' '}
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatCount(counts[key] ?? 0, i18n.language)}
            </span>
          </Link>
        ))}
      </div>
    </div>
  );
}
