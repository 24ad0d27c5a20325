import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ClassLabel, Dashboard, Distribution, RunRecord } from '../../api/contract.ts';

/** The dashboard's names for the parts of GET /api/v1/dashboard (src/api/contract/dashboard.contract.ts). */
export type { ClassLabel, Dashboard };
export type Counts = Record<string, number>;
export type SchemeDistribution = Distribution;
export type RfmCell = Dashboard['rfmHeatmap'][number];
export type ValuePotential = Dashboard['valuePotential'];
export type ClassTrend = Dashboard['classTrend'][number];
export type Transitions = Dashboard['transitions'][number];
export type RetentionClass = Dashboard['retention'][number]['classes'][number];
export type SatisfactionMonth = Dashboard['satisfaction'][number];
export type LastImport = NonNullable<Dashboard['lastImport']>;
export type RunSummary = RunRecord;

export const DASHBOARD_KEY = ['dashboard'] as const;
const RUNS_KEY = ['classification', 'runs', 'recent'] as const;

export function useDashboard() {
  return useQuery({
    queryKey: DASHBOARD_KEY,
    queryFn: ({ signal }) => api('GET /dashboard', { signal }),
    staleTime: 30_000,
  });
}

/** The latest classification runs, for the status card. */
export function useRecentRuns(enabled: boolean) {
  return useQuery({
    queryKey: RUNS_KEY,
    queryFn: ({ signal }) => api('GET /classification/runs', { query: { limit: 8 }, signal }),
    staleTime: 30_000,
    enabled,
  });
}

/** Classifies every customer now under the active schemes, then reloads the figures. */
export function useRunClassification() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api('POST /classification/runs', { body: {} }),
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
