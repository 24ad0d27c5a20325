import type { RunSummary } from '../services/classification/classification.service.ts';
import type { Lang } from './context.ts';
import { t } from './context.ts';

/** Display width of a string in a terminal (CJK characters take two columns). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'left' ? s + fill : fill + s;
}

/** A plain text table; numeric-looking cells are right-aligned. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => pad(c, widths[i], /^-?[\d,.%]+$/.test(c) ? 'right' : 'left')).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The class distribution of one run as a table: class, name, customers, share, moved in. */
export function renderDistribution(s: RunSummary, lang: Lang): string {
  const title = `${t(lang, s.schemeName)} (${s.schemeKey}) — ${t(lang, { zh: '截至', en: 'as of' })} ${s.asOf}, ${s.population} ${t(lang, { zh: '位客户', en: 'customers' })}`;
  const rows = Object.entries(s.counts).map(([key, n]) => {
    const name = s.classNames[key];
    return [
      key,
      name ? t(lang, name) : key,
      n.toLocaleString('en-US'),
      s.population ? `${((100 * n) / s.population).toFixed(1)}%` : '0.0%',
    ];
  });
  const table = renderTable(
    [
      t(lang, { zh: '类别', en: 'class' }),
      t(lang, { zh: '名称', en: 'name' }),
      t(lang, { zh: '客户数', en: 'customers' }),
      t(lang, { zh: '占比', en: 'share' }),
    ],
    rows,
  );
  return `${title}\n${table}\n${t(lang, { zh: '类别变动', en: 'changed class' })}: ${s.changed.toLocaleString('en-US')}`;
}

/** The transition matrix (from → to) of a run or preview. */
export function renderTransitions(s: RunSummary, lang: Lang): string {
  const froms = Object.keys(s.transitions);
  const tos = [...new Set(froms.flatMap((f) => Object.keys(s.transitions[f])))];
  const rows = froms.map((f) => [f, ...tos.map((to) => String(s.transitions[f][to] ?? 0))]);
  return `${t(lang, { zh: '迁移矩阵（行：原类别，列：新类别）', en: 'transitions (rows: from, columns: to)' })}\n${renderTable([t(lang, { zh: '原\\新', en: 'from\\to' }), ...tos], rows)}`;
}
