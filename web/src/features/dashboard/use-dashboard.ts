import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Bilingual } from '../../components/bilingual.ts';

/** The shapes of GET /api/v1/dashboard (src/api/routes/dashboard.routes.ts). */
export type ClassLabel = { key: string; name: Bilingual; color: string | null };
export type Counts = Record<string, number>;

export type SchemeDistribution = {
  schemeKey: string;
  schemeName: Bilingual;
  version: number;
  total: number;
  lastRun: { id: number; asOf: string; finishedAt: string | null } | null;
  classes: Array<ClassLabel & { customers: number; share: number }>;
};

export type RfmCell = { r: number; f: number; customers: number; avgM: number | null };

export type ValuePotential = {
  schemeKey: string | null;
  population: number;
  classes: ClassLabel[];
  points: Array<{ code: string; value: number; potential: number; classKey: string | null }>;
};

export type ClassTrend = {
  schemeKey: string;
  classes: ClassLabel[];
  runs: Array<{ runId: number; asOf: string; counts: Counts }>;
};

export type Transitions = {
  schemeKey: string;
  fromRunId: number | null;
  toRunId: number;
  toAsOf: string;
  matrix: Record<string, Counts>;
};

export type RetentionClass = ClassLabel & {
  customers: number;
  repurchasers: number;
  repurchaseRate: number | null;
  activePrevious: number;
  retained: number;
  retentionRate: number | null;
};

export type SatisfactionMonth = {
  month: string;
  responses: number;
  satisfactionAvg: number | null;
  npsResponses: number;
  npsScore: number | null;
  complaints: number;
};

export type LastImport = {
  id: number;
  entity: string;
  fileName: string;
  status: string;
  counts: Counts | null;
  startedAt: string;
  finishedAt: string | null;
};

export type Dashboard = {
  asOf: string;
  scope: 'all' | 'own';
  totals: {
    customers: number;
    orders: number;
    orders365d: number;
    /** fen */
    revenue365d: number;
    activeCustomers365d: number;
  };
  distribution: SchemeDistribution[];
  rfmHeatmap: RfmCell[];
  valuePotential: ValuePotential;
  classTrend: ClassTrend[];
  transitions: Transitions[];
  retention: Array<{ schemeKey: string; classes: RetentionClass[] }>;
  satisfaction: SatisfactionMonth[];
  tasks: { due: number; overdue: number; next7Days: number };
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

export type RunSummary = {
  id: number;
  schemeKey: string;
  schemeVersion: number;
  previousRunId: number | null;
  asOf: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  population: number;
  changed: number;
};

export const DASHBOARD_KEY = ['dashboard'] as const;
const RUNS_KEY = ['classification', 'runs', 'recent'] as const;

export function useDashboard() {
  return useQuery({
    queryKey: DASHBOARD_KEY,
    queryFn: ({ signal }) => api<Dashboard>('/dashboard', { signal }),
    staleTime: 30_000,
  });
}

/** The latest classification runs, for the status card. */
export function useRecentRuns(enabled: boolean) {
  return useQuery({
    queryKey: RUNS_KEY,
    queryFn: ({ signal }) =>
      api<{ runs: RunSummary[] }>('/classification/runs', { query: { limit: 8 }, signal }),
    staleTime: 30_000,
    enabled,
  });
}

/** Classifies every customer now under the active schemes, then reloads the figures. */
export function useRunClassification() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ runs: Array<{ runId: number | null }> }>('/classification/runs', { body: {} }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: DASHBOARD_KEY }),
        client.invalidateQueries({ queryKey: ['classification'] }),
      ]);
    },
  });
}

/** True once at least one scheme has a classification run. */
export function hasRuns(data: Dashboard): boolean {
  return data.distribution.some((d) => d.lastRun !== null);
}
