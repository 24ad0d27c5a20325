import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Bilingual, useBilingual } from '../../components/bilingual.ts';
import { type ClassLabel, classColor, formatCount } from './class-counts.tsx';
import { NO_PREVIOUS_CLASS, type Transitions } from './use-schemes.ts';

/**
 * Who moves from which class to which: rows are the classes before, columns the classes
 * after; the diagonal (staying) is grey, moves are shaded by size.
 */
export function TransitionMatrix({
  transitions,
  fromClasses,
  toClasses,
  names,
  testId = 'transition-matrix',
  corner,
}: {
  transitions: Transitions;
  /** classes before, in order (the current version's) */
  fromClasses: readonly ClassLabel[];
  /** classes after, in order */
  toClasses: readonly ClassLabel[];
  /** extra names, e.g. the preview's classNames */
  names?: Record<string, Bilingual>;
  testId?: string;
  /** the top-left cell: what rows and columns are */
  corner?: string;
}) {
  const { t, i18n } = useTranslation('schemes');
  const pick = useBilingual();
  const known = [...fromClasses.map((c) => c.key)];
  const fromKeys = [
    ...known.filter((k) => transitions[k]),
    ...Object.keys(transitions).filter((k) => !known.includes(k) && k !== NO_PREVIOUS_CLASS),
    ...(transitions[NO_PREVIOUS_CLASS] ? [NO_PREVIOUS_CLASS] : []),
  ];
  const toKeys = [
    ...toClasses.map((c) => c.key),
    ...[...new Set(Object.values(transitions).flatMap((row) => Object.keys(row)))].filter(
      (k) => !toClasses.some((c) => c.key === k),
    ),
  ];
  const label = (key: string) => {
    if (key === NO_PREVIOUS_CLASS) return t('matrix.unclassified');
    const c = fromClasses.find((x) => x.key === key) ?? toClasses.find((x) => x.key === key);
    return pick(c?.name ?? names?.[key]) || key;
  };
  const max = Math.max(
    1,
    ...fromKeys.flatMap((f) => toKeys.map((to) => (f === to ? 0 : (transitions[f]?.[to] ?? 0)))),
  );
  const cell: React.CSSProperties = {
    padding: '6px 10px',
    borderBottom: '1px solid #f0f0f0',
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
  };
  const dot = (key: string, classes: readonly ClassLabel[]) =>
    key === NO_PREVIOUS_CLASS ? null : (
      <span
        style={{
          display: 'inline-block',
          width: 8,
          height: 8,
          borderRadius: 2,
          marginRight: 6,
          background: classColor(classes, key),
        }}
      />
    );

  if (fromKeys.length === 0) return <Typography.Text type="secondary">{t('matrix.empty')}</Typography.Text>;
  return (
    <div style={{ overflowX: 'auto', maxWidth: '100%' }} data-testid={testId}>
      <table style={{ borderCollapse: 'collapse', minWidth: '100%', fontSize: 13 }}>
        <thead>
          <tr style={{ background: '#fafafa' }}>
            <th style={{ ...cell, textAlign: 'left', fontWeight: 500 }}>{corner ?? t('matrix.corner')}</th>
            {toKeys.map((k) => (
              <th key={k} style={{ ...cell, fontWeight: 500 }}>
                {dot(k, toClasses)}
                {label(k)}
              </th>
            ))}
            <th style={{ ...cell, fontWeight: 500 }}>{t('matrix.total')}</th>
          </tr>
        </thead>
        <tbody>
          {fromKeys.map((from) => {
            const row = transitions[from] ?? {};
            const total = Object.values(row).reduce((a, b) => a + b, 0);
            return (
              <tr key={from}>
                <th style={{ ...cell, textAlign: 'left', fontWeight: 500 }}>
                  {dot(from, fromClasses)}
                  {label(from)}
                </th>
                {toKeys.map((to) => {
                  const n = row[to] ?? 0;
                  const stay = from === to;
                  const shade = stay || n === 0 ? 0 : 0.08 + (0.5 * n) / max;
                  return (
                    <td
                      key={to}
                      data-testid={`${testId}-${from}-${to}`}
                      data-count={n}
                      title={`${label(from)} → ${label(to)}：${formatCount(n, i18n.language)}`}
                      style={{
                        ...cell,
                        background: stay
                          ? '#f5f5f5'
                          : shade
                            ? `rgba(22,119,255,${shade.toFixed(2)})`
                            : undefined,
                        color: n === 0 ? 'rgba(0,0,0,0.25)' : undefined,
                        fontWeight: !stay && n > 0 ? 600 : undefined,
                      }}
                    >
                      {formatCount(n, i18n.language)}
                    </td>
                  );
                })}
                <td style={{ ...cell, color: 'rgba(0,0,0,0.45)' }}>{formatCount(total, i18n.language)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
