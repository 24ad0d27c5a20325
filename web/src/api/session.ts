import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Me } from './contract.ts';

export type { Me };

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user; `data` is null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await api('GET /auth/me');
      } catch (e) {
        if ((e as { status?: number }).status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** True when the signed-in user may perform the action (policy action names, e.g. `customers.update`). */
export function useCan(): (action: string) => boolean {
  const { data } = useMe();
  return (action) => data?.permissions.includes(action) ?? false;
}

/**
 * How a view that aggregates over customers is open to the signed-in user: 'all',
 * 'own' (computed over their own customers) or 'refused' (e.g. `schemePreview` for sales).
 */
export function useViewScope(): (view: string) => 'all' | 'own' | 'refused' {
  const { data } = useMe();
  return (view) => data?.views[view] ?? 'refused';
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api('POST /auth/logout').catch(() => {});
    client.clear();
    client.setQueryData(ME_KEY, null);
  };
}
