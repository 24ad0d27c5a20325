import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  CreateFeedbackInput,
  CreateInteractionInput,
  ResponseOf,
  UpdateCustomerInput,
} from '../../api/contract.ts';
import { apiQueryOf, type CustomerFilters } from './customer-filters.ts';

/** One page of the list; the previous page stays on screen while the next one loads. */
export function useCustomerList(filters: CustomerFilters) {
  return useQuery({
    queryKey: ['customers', 'list', apiQueryOf(filters)],
    queryFn: ({ signal }) => api('GET /customers', { query: apiQueryOf(filters), signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCustomerFacets() {
  return useQuery({
    queryKey: ['customers', 'facets'],
    queryFn: () => api('GET /customer-facets'),
    staleTime: 60_000,
  });
}

export function useCustomerDetail(code: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['customers', 'detail', code],
    queryFn: ({ signal }) => api('GET /customers/:code', { params: { code }, signal }),
    enabled: options.enabled ?? true,
  });
}

export type ActivityKind = 'orders' | 'interactions' | 'feedback';

type ActivityPages = {
  orders: ResponseOf<'GET /customers/:code/orders'>;
  interactions: ResponseOf<'GET /customers/:code/interactions'>;
  feedback: ResponseOf<'GET /customers/:code/feedback'>;
};
type Paging = { page: number; pageSize: number };

const activityPage: {
  [K in ActivityKind]: (code: string, query: Paging, signal: AbortSignal) => Promise<ActivityPages[K]>;
} = {
  orders: (code, query, signal) => api('GET /customers/:code/orders', { params: { code }, query, signal }),
  interactions: (code, query, signal) =>
    api('GET /customers/:code/interactions', { params: { code }, query, signal }),
  feedback: (code, query, signal) =>
    api('GET /customers/:code/feedback', { params: { code }, query, signal }),
};

export function useActivities<K extends ActivityKind>(code: string, kind: K, paging: Paging) {
  return useQuery({
    queryKey: ['customers', kind, code, paging],
    queryFn: ({ signal }) => activityPage[kind](code, paging, signal),
    placeholderData: keepPreviousData,
  });
}

/** What a new interaction or feedback may hold (the forms send the fields of one of them). */
export type ActivityInput = CreateInteractionInput & CreateFeedbackInput;

/** Adds an interaction or feedback and refreshes the tab, the counts and the metrics shown. */
export function useAddActivity(code: string, kind: 'interactions' | 'feedback') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ActivityInput) => {
      if (kind === 'interactions')
        await api('POST /customers/:code/interactions', { params: { code }, body });
      else await api('POST /customers/:code/feedback', { params: { code }, body });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customers', kind, code] });
      void client.invalidateQueries({ queryKey: ['customers', 'detail', code] });
    },
  });
}

export function useReveal(code: string) {
  return useMutation({
    mutationFn: () => api('POST /customers/:code/reveal', { params: { code }, body: {} }),
  });
}

export type ProfileChange = Partial<
  Pick<
    UpdateCustomerInput,
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
      api('PATCH /customers/:code', { params: { code }, body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customers', 'detail', code] });
      void client.invalidateQueries({ queryKey: ['customers', 'list'] });
    },
  });
}
