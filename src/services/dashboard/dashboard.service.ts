import { addDays } from '../../core/dates.ts';
import {
  listRuns,
  type RunReport,
  recentRuns,
} from '../../db/classification/classification-reports.repository.ts';
import {
  type LastImport,
  loadClassActivity,
  loadLastImport,
  loadRfmCells,
  loadSatisfactionByMonth,
  loadTaskCounts,
  loadTotals,
  loadValuePotentialSample,
  type RfmCell,
  type ScatterPoint,
  type TaskCounts,
  type Totals,
} from '../../db/dashboard/dashboard.repository.ts';
import type { DbHandle } from '../../db/database.ts';
import { populationScope, type Viewer } from '../auth/policy.ts';
import { runReportsFor } from '../classification/run-reports.service.ts';
import {
  type ClassLabel,
  classLabels,
  distributionOf,
  type SchemeDistribution,
  schemesFor,
} from './class-distribution.ts';

/** The scheme whose classes colour the value-potential scatter. */
const VALUE_POTENTIAL_SCHEME = 'value_potential';
const SCATTER_POINTS = 2_000;
const TREND_RUNS = 12;
const SATISFACTION_MONTHS = 12;

export type Dashboard = {
  asOf: string;
  scope: 'all' | 'own';
  totals: Totals;
  distribution: SchemeDistribution[];
  rfmHeatmap: RfmCell[];
  valuePotential: {
    schemeKey: string | null;
    population: number;
    classes: ClassLabel[];
    points: ScatterPoint[];
  };
  classTrend: Array<{
    schemeKey: string;
    classes: ClassLabel[];
    runs: Array<{ runId: number; asOf: string; counts: Record<string, number> }>;
  }>;
  transitions: Array<{
    schemeKey: string;
    fromRunId: number | null;
    toRunId: number;
    toAsOf: string;
    matrix: Record<string, Record<string, number>>;
  }>;
  retention: Array<{
    schemeKey: string;
    classes: Array<
      ClassLabel & {
        customers: number;
        repurchasers: number;
        repurchaseRate: number | null;
        activePrevious: number;
        retained: number;
        retentionRate: number | null;
      }
    >;
  }>;
  satisfaction: Array<{
    month: string;
    responses: number;
    satisfactionAvg: number | null;
    npsResponses: number;
    /** % promoters (9–10) − % detractors (0–6), −100…100; null without NPS answers */
    npsScore: number | null;
    complaints: number;
  }>;
  tasks: TaskCounts;
  lastImport: LastImport | null;
  lastRun: {
    id: number;
    schemeKey: string;
    asOf: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
  } | null;
};

/**
 * Everything the 概览 page shows on one screen, as of `asOf`. Classes, scores and the
 * RFM heat map come from the last classification run; sales figures from the orders
 * up to `asOf`.
 *
 * Rates by class (over each scheme's current classes):
 * - repurchase rate = customers of the class with ≥ 2 purchases in the last 365 days
 *   (asOf − 365 < date ≤ asOf) ÷ customers of the class;
 * - retention rate = customers of the class who bought in the previous 365-day window
 *   (asOf − 730 < date ≤ asOf − 365) and again in the last 365 days ÷ customers of the
 *   class who bought in that previous window (null when none did).
 * A purchase is a completed order with a positive amount, as the metrics count them.
 *
 * The policy decides over whose customers `viewer` sees the figures (views `dashboard`,
 * `classDistribution`, `runCounts`): for a role limited to its own customers every
 * figure counts only those, the run trend and transitions are rebuilt from their class
 * changes, and the last import (a whole-table job) is left out.
 */
export async function loadDashboard(
  handle: DbHandle,
  options: { asOf: string; viewer: Viewer; now: Date },
): Promise<Dashboard> {
  const { db } = handle;
  const { asOf, viewer } = options;
  const { ownerUserId } = populationScope(viewer, 'dashboard');
  const distributionScope = populationScope(viewer, 'classDistribution');
  const scope = { ownerUserId };
  const start365 = addDays(asOf, -365);
  const start730 = addDays(asOf, -730);
  const firstMonth = monthsBefore(asOf, SATISFACTION_MONTHS - 1);

  const stored = await schemesFor(handle, { now: options.now });
  const schemes: SchemeInfo[] = stored.map((s) => ({
    id: s.id,
    key: s.key,
    labels: (extra) => classLabels(s.definition, extra),
  }));
  const vp = schemes.find((s) => s.key === VALUE_POTENTIAL_SCHEME);

  const [distribution, totals, rfm, scatter, activity, satisfaction, tasks, lastImport, runs, lastRuns] =
    await Promise.all([
      distributionOf(db, { schemes: stored, ownerUserId: distributionScope.ownerUserId }),
      loadTotals(db, { ...scope, asOf, start365 }),
      loadRfmCells(db, scope),
      loadValuePotentialSample(db, { ...scope, schemeId: vp?.id ?? null, limit: SCATTER_POINTS }),
      loadClassActivity(db, { ...scope, asOf, start365, start730 }),
      loadSatisfactionByMonth(db, { ...scope, from: `${firstMonth}-01`, asOf }),
      loadTaskCounts(db, { ...scope, asOf, in7Days: addDays(asOf, 7) }),
      ownerUserId === undefined ? loadLastImport(db) : null,
      recentRuns(db, { perScheme: TREND_RUNS }).then((runs) => runReportsFor(db, { viewer, runs })),
      listRuns(db, { limit: 1 }),
    ]);

  const bySchemeId = new Map(schemes.map((s) => [s.id, s]));
  const runsByScheme = new Map<number, RunReport[]>();
  for (const run of runs) {
    if (!bySchemeId.has(run.schemeId)) continue;
    const list = runsByScheme.get(run.schemeId) ?? [];
    list.push(run);
    runsByScheme.set(run.schemeId, list);
  }

  const classTrend: Dashboard['classTrend'] = [];
  const transitions: Dashboard['transitions'] = [];
  for (const scheme of schemes) {
    const schemeRuns = runsByScheme.get(scheme.id) ?? [];
    const trendRuns = schemeRuns.map((run) => ({ runId: run.id, asOf: run.asOf, counts: run.counts }));
    classTrend.push({
      schemeKey: scheme.key,
      classes: scheme.labels(trendRuns.flatMap((r) => Object.keys(r.counts))),
      runs: trendRuns,
    });
    const last = schemeRuns[schemeRuns.length - 1];
    if (!last) continue;
    transitions.push({
      schemeKey: scheme.key,
      fromRunId: last.previousRunId,
      toRunId: last.id,
      toAsOf: last.asOf,
      matrix: last.transitions,
    });
  }

  const retention: Dashboard['retention'] = schemes.map((scheme) => {
    const rows = activity.filter((a) => a.schemeId === scheme.id);
    const byKey = new Map(rows.map((a) => [a.classKey, a]));
    return {
      schemeKey: scheme.key,
      classes: scheme.labels(rows.map((a) => a.classKey)).map((label) => {
        const a = byKey.get(label.key);
        const customers = a?.customers ?? 0;
        const activePrevious = a?.activePrevious ?? 0;
        return {
          ...label,
          customers,
          repurchasers: a?.repurchasers ?? 0,
          repurchaseRate: customers === 0 ? null : round((a?.repurchasers ?? 0) / customers, 4),
          activePrevious,
          retained: a?.retained ?? 0,
          retentionRate: activePrevious === 0 ? null : round((a?.retained ?? 0) / activePrevious, 4),
        };
      }),
    };
  });

  const monthly = new Map(satisfaction.map((m) => [m.month, m]));
  const satisfactionTrend: Dashboard['satisfaction'] = Array.from({ length: SATISFACTION_MONTHS }, (_, i) => {
    const month = monthsBefore(asOf, SATISFACTION_MONTHS - 1 - i);
    const m = monthly.get(month);
    return {
      month,
      responses: m?.responses ?? 0,
      satisfactionAvg: m?.satisfactionAvg == null ? null : round(m.satisfactionAvg, 2),
      npsResponses: m?.npsResponses ?? 0,
      npsScore:
        m && m.npsResponses > 0 ? round(((m.promoters - m.detractors) / m.npsResponses) * 100, 1) : null,
      complaints: m?.complaints ?? 0,
    };
  });

  const lastRun = lastRuns[0];
  return {
    asOf,
    scope: ownerUserId === undefined ? 'all' : 'own',
    totals,
    distribution,
    rfmHeatmap: rfm.map((c) => ({ ...c, avgM: c.avgM === null ? null : round(c.avgM, 2) })),
    valuePotential: {
      schemeKey: vp?.key ?? null,
      population: scatter.population,
      classes: vp ? vp.labels(scatter.points.flatMap((p) => (p.classKey ? [p.classKey] : []))) : [],
      points: scatter.points.map((p) => ({
        ...p,
        value: round(p.value, 2),
        potential: round(p.potential, 2),
      })),
    },
    classTrend,
    transitions,
    retention,
    satisfaction: satisfactionTrend,
    tasks,
    lastImport,
    lastRun: lastRun
      ? {
          id: lastRun.id,
          schemeKey: lastRun.schemeKey,
          asOf: lastRun.asOf,
          status: lastRun.status,
          startedAt: lastRun.startedAt,
          finishedAt: lastRun.finishedAt,
        }
      : null,
  };
}

type SchemeInfo = { id: number; key: string; labels: (extra: Iterable<string>) => ClassLabel[] };

/** 'YYYY-MM' of the month `n` months before the month of `date`. */
function monthsBefore(date: string, n: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 - n;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
