import { Segmented } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useBilingual } from '../../components/bilingual.ts';
import { Chart, type ChartOption } from '../../components/chart.tsx';
import { ChartCard, classColor } from './chart-card.tsx';
import type { ClassLabel, Transitions } from './use-dashboard.ts';

const HEIGHT = 300;
/** The server's key for customers who had no class in the previous run. */
const NO_PREVIOUS = '(none)';

// Sankey nodes must be unique and acyclic: a class appears once as "from" (left) and once as "to" (right).
const fromId = (key: string) => `from:${key}`;
const toId = (key: string) => `to:${key}`;
const keyOf = (id: string) => id.slice(id.indexOf(':') + 1);

type Node = { name: string; itemStyle: { color: string }; depth: number; label?: { show: boolean } };
type Link = { source: string; target: string; value: number };

const PLOT = { top: 8, bottom: 8, nodeGap: 6 };
const LABEL_HEIGHT = 18;

/**
 * Hides the labels of small nodes that would print over a neighbour's label (they stay in the
 * tooltip). Node positions follow the sankey layout without iterations: in data order, one
 * vertical scale for both columns, `nodeGap` apart; bigger nodes claim their place first.
 */
function withRoomForLabels(columns: Node[][], links: Link[]): Node[] {
  const total = links.reduce((sum, l) => sum + l.value, 0);
  const plot = HEIGHT - PLOT.top - PLOT.bottom;
  const flowOf = (id: string) =>
    links.reduce((sum, l) => sum + (l.source === id || l.target === id ? l.value : 0), 0);
  const scale = Math.min(...columns.map((c) => (plot - (c.length - 1) * PLOT.nodeGap) / Math.max(total, 1)));
  return columns.flatMap((column) => {
    let y = 0;
    const placed = column.map((node) => {
      const height = flowOf(node.name) * scale;
      const centre = y + height / 2;
      y += height + PLOT.nodeGap;
      return { node, centre, height };
    });
    const labelled: number[] = [];
    for (const p of [...placed].sort((a, b) => b.height - a.height)) {
      if (labelled.every((c) => Math.abs(c - p.centre) >= LABEL_HEIGHT)) labelled.push(p.centre);
      else p.node.label = { show: false };
    }
    return placed.map((p) => p.node);
  });
}

/** Who moved from which class to which between the scheme's last two runs. */
export function ClassTransitions({
  transitions,
  classes,
  schemeKey,
}: {
  transitions: Transitions | undefined;
  classes: ClassLabel[];
  schemeKey: string;
}) {
  const { t } = useTranslation('dashboard');
  const pick = useBilingual();
  const navigate = useNavigate();
  const [view, setView] = useState<'all' | 'moved'>('all');

  const { links, total, moved } = useMemo(() => {
    const all: Link[] = [];
    let sum = 0;
    let changed = 0;
    for (const [from, row] of Object.entries(transitions?.matrix ?? {})) {
      for (const [to, n] of Object.entries(row)) {
        if (n <= 0) continue;
        sum += n;
        if (from !== to) changed += n;
        all.push({ source: fromId(from), target: toId(to), value: n });
      }
    }
    return { links: all, total: sum, moved: changed };
  }, [transitions]);

  const option = useMemo<ChartOption>(() => {
    const shown = view === 'moved' ? links.filter((l) => keyOf(l.source) !== keyOf(l.target)) : links;
    const order = [NO_PREVIOUS, ...classes.map((c) => c.key)];
    const rank = (key: string) => {
      const i = order.indexOf(key);
      return i < 0 ? order.length : i;
    };
    const label = (key: string) => {
      if (key === NO_PREVIOUS) return t('transitions.noPrevious');
      const c = classes.find((x) => x.key === key);
      return c ? pick(c.name) : key;
    };
    const color = (key: string) => {
      const i = classes.findIndex((x) => x.key === key);
      return i < 0 ? '#bfbfbf' : classColor(classes[i], i);
    };
    const used = new Set(shown.flatMap((l) => [l.source, l.target]));
    const side = (prefix: string, depth: number): Node[] =>
      [...used]
        .filter((id) => id.startsWith(prefix))
        .sort((a, b) => rank(keyOf(a)) - rank(keyOf(b)))
        .map((id) => ({ name: id, depth, itemStyle: { color: color(keyOf(id)) } }));
    const nodes = withRoomForLabels([side('from:', 0), side('to:', 1)], shown);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataType: string; data: Link & Node; value: number }) =>
          p.dataType === 'edge'
            ? `${label(keyOf(p.data.source))} → ${label(keyOf(p.data.target))}<br/><b>${p.value.toLocaleString('zh-CN')}</b>`
            : `${label(keyOf(p.data.name))}<br/><b>${p.value.toLocaleString('zh-CN')}</b>`,
      },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 8,
          top: PLOT.top,
          bottom: PLOT.bottom,
          nodeWidth: 12,
          nodeGap: PLOT.nodeGap,
          // Keep the classes in scheme order on both sides instead of letting the layout reshuffle them.
          layoutIterations: 0,
          draggable: false,
          emphasis: { focus: 'adjacency' },
          lineStyle: { color: 'source', opacity: 0.35, curveness: 0.5 },
          label: {
            fontSize: 12,
            color: '#434343',
            formatter: (p: { name: string; value: number }) => `${label(keyOf(p.name))}  ${p.value}`,
          },
          levels: [
            { depth: 0, label: { position: 'right' } },
            { depth: 1, label: { position: 'left' } },
          ],
          data: nodes,
          links: shown,
        },
      ],
    };
  }, [links, view, classes, pick, t]);

  const empty = !transitions
    ? t('transitions.empty')
    : transitions.fromRunId === null
      ? t('transitions.firstRun')
      : view === 'moved' && moved === 0
        ? t('transitions.noneMoved')
        : undefined;

  return (
    <ChartCard
      testId="panel-transitions"
      title={t('transitions.title')}
      help={t('transitions.help')}
      height={HEIGHT}
      extra={
        transitions?.fromRunId != null && (
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'all' | 'moved')}
            options={[
              { label: t('transitions.all'), value: 'all' },
              { label: t('transitions.moved'), value: 'moved' },
            ]}
          />
        )
      }
      empty={empty}
      footer={
        transitions && transitions.fromRunId !== null && total > 0
          ? t('transitions.footer', {
              moved: moved.toLocaleString('zh-CN'),
              share: ((moved / total) * 100).toFixed(1),
              asOf: transitions.toAsOf,
            })
          : undefined
      }
    >
      <Chart
        name="class-transitions"
        option={option}
        height={HEIGHT}
        onClick={(p) => {
          const name = (p.data as Partial<Node> | undefined)?.name;
          if (name?.startsWith('to:')) {
            navigate(
              `/customers?scheme=${encodeURIComponent(schemeKey)}&class=${encodeURIComponent(keyOf(name))}`,
            );
          }
        }}
      />
    </ChartCard>
  );
}
