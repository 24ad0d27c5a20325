import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Bilingual } from '../../components/bilingual.ts';

/** Shapes of src/api/routes/schemes.routes.ts and classification.routes.ts, as the web app reads them. */

export type ParamValue = number | string | boolean;
export type FieldType = 'number' | 'money' | 'string' | 'date' | 'boolean';

export type ClassPlan = {
  goal?: string;
  actions?: string;
  contact_every_days?: number;
  owner_role?: string;
};

export type SchemeClass = {
  key: string;
  name: Bilingual;
  color?: string;
  rule: string;
  description?: Partial<Bilingual>;
  plan?: ClassPlan;
};

export type SchemeDefinition = {
  key: string;
  name: Bilingual;
  description?: Partial<Bilingual>;
  params?: Record<string, ParamValue>;
  scores?: string[];
  classes: SchemeClass[];
};

export type ParamUse = { type: FieldType | null; fields: string[] };

export type LastRun = {
  id: number;
  schemeVersion: number;
  asOf: string;
  finishedAt: string | null;
  population: number;
  counts: Record<string, number>;
  changed: number;
};

export type Scheme = {
  key: string;
  name: Bilingual;
  description: Partial<Bilingual> | null;
  builtin: boolean;
  active: boolean;
  version: number;
  publishedAt: string | null;
  publishedBy: string | null;
  hasDraft: boolean;
  draftSavedAt: string | null;
  params: Record<string, ParamValue>;
  paramUses: Record<string, ParamUse>;
  scores: string[];
  classes: SchemeClass[];
  lastRun: LastRun | null;
};

export type Transitions = Record<string, Record<string, number>>;

export type RunSummary = {
  schemeKey: string;
  schemeName: Bilingual;
  runId: number | null;
  asOf: string;
  population: number;
  counts: Record<string, number>;
  classNames: Record<string, Bilingual>;
  transitions: Transitions;
  changed: number;
};

export type PreviewResult = RunSummary & { currentCounts: Record<string, number> };

export type SchemeVersion = {
  version: number;
  current: boolean;
  createdAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
  note: string | null;
  definition: SchemeDefinition;
};

export type SchemeVersions = {
  key: string;
  currentVersion: number;
  versions: SchemeVersion[];
  draft: { savedAt: string; definition: SchemeDefinition } | null;
};

export type RunRecord = {
  id: number;
  schemeKey: string;
  schemeVersion: number;
  previousRunId: number | null;
  asOf: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  population: number;
  counts: Record<string, number>;
  transitions: Transitions;
  changed: number;
};

/** Key used in transition matrices for customers who had no class before. */
export const NO_PREVIOUS_CLASS = '(none)';

export const schemeKeys = {
  all: ['schemes'] as const,
  list: () => ['schemes', 'list'] as const,
  one: (key: string) => ['schemes', 'one', key] as const,
  versions: (key: string) => ['schemes', 'versions', key] as const,
  runs: (key: string) => ['schemes', 'runs', key] as const,
};

export function useSchemes() {
  return useQuery({
    queryKey: schemeKeys.list(),
    queryFn: ({ signal }) => api<{ schemes: Scheme[] }>('/schemes', { signal }).then((r) => r.schemes),
  });
}

export function useScheme(key: string) {
  return useQuery({
    queryKey: schemeKeys.one(key),
    queryFn: ({ signal }) => api<Scheme>(`/schemes/${encodeURIComponent(key)}`, { signal }),
  });
}

export function useSchemeVersions(key: string) {
  return useQuery({
    queryKey: schemeKeys.versions(key),
    queryFn: ({ signal }) => api<SchemeVersions>(`/schemes/${encodeURIComponent(key)}/versions`, { signal }),
  });
}

export function useSchemeRuns(key: string) {
  return useQuery({
    queryKey: schemeKeys.runs(key),
    queryFn: ({ signal }) =>
      api<{ runs: RunRecord[] }>('/classification/runs', { query: { scheme: key, limit: 10 }, signal }).then(
        (r) => r.runs,
      ),
  });
}

/** Everything the schemes pages and the dashboard show about classes is stale after a write. */
function useInvalidate() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: schemeKeys.all }),
      client.invalidateQueries({ queryKey: ['dashboard'] }),
      client.invalidateQueries({ queryKey: ['classification'] }),
    ]);
}

export function useSaveDraft(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (definition: SchemeDefinition) =>
      api<{ savedAt: string; definition: SchemeDefinition }>(`/schemes/${encodeURIComponent(key)}/draft`, {
        method: 'PUT',
        body: { definition },
      }),
    onSuccess: () => invalidate(),
  });
}

export function useDiscardDraft(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => api<{ ok: boolean }>(`/schemes/${encodeURIComponent(key)}/draft`, { method: 'DELETE' }),
    onSuccess: () => invalidate(),
  });
}

export function usePreview(key: string) {
  return useMutation({
    mutationFn: (definition: SchemeDefinition) =>
      api<PreviewResult>(`/schemes/${encodeURIComponent(key)}/preview`, { body: { definition } }),
  });
}

/** Saves the editor's definition as the draft, then publishes it on top of `version`. */
export function usePublish(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (input: { definition: SchemeDefinition; version: number; note?: string }) => {
      await api(`/schemes/${encodeURIComponent(key)}/draft`, {
        method: 'PUT',
        body: { definition: input.definition },
      });
      return api<Scheme>(`/schemes/${encodeURIComponent(key)}/publish`, {
        body: { version: input.version, ...(input.note ? { note: input.note } : {}) },
      });
    },
    // Not awaited: the page switches to the version history before the new version remounts it.
    // A refusal (409) does not reload by itself: the dialog says why and offers the reload.
    onSuccess: () => {
      void invalidate();
    },
  });
}

/** Classifies every customer now under the named schemes (all active schemes when none). */
export function useRunNow() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (schemeKeys?: string[]) =>
      api<{ runs: RunSummary[] }>('/classification/runs', { body: schemeKeys ? { schemeKeys } : {} }).then(
        (r) => r.runs,
      ),
    onSuccess: () => invalidate(),
  });
}

export function useCreateScheme() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (definition: SchemeDefinition) => api<Scheme>('/schemes', { body: { definition } }),
    onSuccess: () => invalidate(),
  });
}

/** The definition a scheme's current version holds, as the editor starts from it. */
export function definitionOf(scheme: Scheme): SchemeDefinition {
  return {
    key: scheme.key,
    name: scheme.name,
    ...(scheme.description ? { description: scheme.description } : {}),
    ...(Object.keys(scheme.params).length ? { params: scheme.params } : {}),
    ...(scheme.scores.length ? { scores: scheme.scores } : {}),
    classes: scheme.classes,
  };
}
