import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { apiQueryOf, type CustomerFilters } from './customer-filters.ts';
import type {
  CustomerDetail,
  CustomerPage,
  CustomerProfile,
  Facets,
  Feedback,
  Interaction,
  Order,
  Paged,
  Revealed,
  Scheme,
} from './customer-types.ts';

const path = (code: string) => `/customers/${encodeURIComponent(code)}`;

/** One page of the list; the previous page stays on screen while the next one loads. */
export function useCustomerList(filters: CustomerFilters) {
  return useQuery({
    queryKey: ['customers', 'list', apiQueryOf(filters)],
    queryFn: ({ signal }) => api<CustomerPage>('/customers', { query: apiQueryOf(filters), signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCustomerFacets() {
  return useQuery({
    queryKey: ['customers', 'facets'],
    queryFn: () => api<Facets>('/customer-facets'),
    staleTime: 60_000,
  });
}

export function useSchemes() {
  return useQuery({
    queryKey: ['schemes', 'list'],
    queryFn: () => api<{ schemes: Scheme[] }>('/schemes').then((r) => r.schemes),
    staleTime: 60_000,
  });
}

export function useCustomerDetail(code: string) {
  return useQuery({
    queryKey: ['customers', 'detail', code],
    queryFn: ({ signal }) => api<CustomerDetail>(path(code), { signal }),
  });
}

export type ActivityKind = 'orders' | 'interactions' | 'feedback';
type ActivityItem = { orders: Order; interactions: Interaction; feedback: Feedback };

export function useActivities<K extends ActivityKind>(
  code: string,
  kind: K,
  paging: { page: number; pageSize: number },
) {
  return useQuery({
    queryKey: ['customers', kind, code, paging],
    queryFn: ({ signal }) => api<Paged<ActivityItem[K]>>(`${path(code)}/${kind}`, { query: paging, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Adds an interaction or feedback and refreshes the tab, the counts and the metrics shown. */
export function useAddActivity(code: string, kind: 'interactions' | 'feedback') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api(`${path(code)}/${kind}`, { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customers', kind, code] });
      void client.invalidateQueries({ queryKey: ['customers', 'detail', code] });
    },
  });
}

export function useReveal(code: string) {
  return useMutation({
    mutationFn: () => api<Revealed>(`${path(code)}/reveal`, { body: {} }),
  });
}

export type ProfileChange = Partial<
  Pick<
    CustomerProfile,
    | 'name'
    | 'kind'
    | 'gender'
    | 'age'
    | 'phone'
    | 'email'
    | 'address'
    | 'region'
    | 'province'
    | 'city'
    | 'source'
    | 'industry'
    | 'companySize'
    | 'preference'
    | 'consentMarketing'
  >
>;

export function useUpdateCustomer(code: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ProfileChange & { version: number }) =>
      api<CustomerProfile>(path(code), { method: 'PATCH', body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customers', 'detail', code] });
      void client.invalidateQueries({ queryKey: ['customers', 'list'] });
    },
  });
}
