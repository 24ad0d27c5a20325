import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

import type {
  ParamUse,
  Preview,
  RunRecord,
  RunSummary,
  Scheme,
  SchemeDefinition,
  SchemeVersion,
  SchemeVersions,
  Transitions,
} from '../../api/contract.ts';

export type {
  ParamUse,
  RunRecord,
  RunSummary,
  Scheme,
  SchemeDefinition,
  SchemeVersion,
  SchemeVersions,
  Transitions,
};
export type PreviewResult = Preview;
export type SchemeClass = SchemeDefinition['classes'][number];
export type ClassPlan = NonNullable<SchemeClass['plan']>;
export type ParamValue = NonNullable<SchemeDefinition['params']>[string];
export type FieldType = NonNullable<ParamUse['type']>;
export type LastRun = NonNullable<Scheme['lastRun']>;

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
    queryFn: ({ signal }) => api('GET /schemes', { signal }).then((r) => r.schemes),
  });
}

export function useScheme(key: string) {
  return useQuery({
    queryKey: schemeKeys.one(key),
    queryFn: ({ signal }) => api('GET /schemes/:key', { params: { key }, signal }),
  });
}

export function useSchemeVersions(key: string) {
  return useQuery({
    queryKey: schemeKeys.versions(key),
    queryFn: ({ signal }) => api('GET /schemes/:key/versions', { params: { key }, signal }),
  });
}

export function useSchemeRuns(key: string) {
  return useQuery({
    queryKey: schemeKeys.runs(key),
    queryFn: ({ signal }) =>
      api('GET /classification/runs', { query: { scheme: key, limit: 10 }, signal }).then((r) => r.runs),
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
      api('PUT /schemes/:key/draft', { params: { key }, body: { definition } }),
    onSuccess: () => invalidate(),
  });
}

export function useDiscardDraft(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => api('DELETE /schemes/:key/draft', { params: { key } }),
    onSuccess: () => invalidate(),
  });
}

export function usePreview(key: string) {
  return useMutation({
    mutationFn: (definition: SchemeDefinition) =>
      api('POST /schemes/:key/preview', { params: { key }, body: { definition } }),
  });
}

/** Saves the editor's definition as the draft, then publishes it on top of `version`. */
export function usePublish(key: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (input: { definition: SchemeDefinition; version: number; note?: string }) => {
      await api('PUT /schemes/:key/draft', { params: { key }, body: { definition: input.definition } });
      return api('POST /schemes/:key/publish', {
        params: { key },
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
      api('POST /classification/runs', { body: schemeKeys ? { schemeKeys } : {} }).then((r) => r.runs),
    onSuccess: () => invalidate(),
  });
}

export function useCreateScheme() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (definition: SchemeDefinition) => api('POST /schemes', { body: { definition } }),
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
