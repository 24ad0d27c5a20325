import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { CustomerListQuery } from '../../api/contract.ts';

/**
 * The list's whole state lives in the URL (`?scheme=&class=&rule=&tag=&region=&owner=&q=&page=&size=&sort=`),
 * so a dashboard link opens the list already filtered and a reload keeps it.
 * `sort` is a field key, `-` first for descending: `sort=-total_amount`.
 */
export type CustomerFilters = {
  scheme?: string;
  classKey?: string;
  rule?: string;
  tag?: string;
  region?: string;
  owner?: string;
  q?: string;
  page: number;
  size: number;
  sort?: string;
};

export const PAGE_SIZES = [20, 50, 100, 200];
const DEFAULT_SIZE = 20;

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

export function filtersFrom(params: URLSearchParams): CustomerFilters {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const size = positive(params.get('size'), DEFAULT_SIZE);
  return {
    scheme: text('scheme'),
    classKey: text('class'),
    rule: text('rule'),
    tag: text('tag'),
    region: text('region'),
    owner: text('owner'),
    q: text('q'),
    page: positive(params.get('page'), 1),
    size: PAGE_SIZES.includes(size) ? size : DEFAULT_SIZE,
    sort: text('sort'),
  };
}

export function paramsOf(f: CustomerFilters): URLSearchParams {
  const out = new URLSearchParams();
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') out.set(name, String(value));
  };
  put('scheme', f.scheme);
  put('class', f.scheme ? f.classKey : undefined);
  put('rule', f.rule);
  put('tag', f.tag);
  put('region', f.region);
  put('owner', f.owner);
  put('q', f.q);
  if (f.page > 1) put('page', f.page);
  if (f.size !== DEFAULT_SIZE) put('size', f.size);
  put('sort', f.sort);
  return out;
}

/** The list endpoint's query for these filters. */
export function apiQueryOf(f: CustomerFilters): CustomerListQuery {
  const desc = f.sort?.startsWith('-');
  return {
    scheme: f.scheme,
    classKey: f.scheme ? f.classKey : undefined,
    filter: f.rule,
    tag: f.tag,
    region: f.region,
    owner: f.owner,
    q: f.q,
    page: f.page,
    pageSize: f.size,
    sort: f.sort ? f.sort.replace(/^-/, '') : undefined,
    dir: f.sort ? (desc ? 'desc' : 'asc') : undefined,
  };
}

/** Whether anything narrows the list (an empty result then means "no match", not "no customers"). */
export function isFiltered(f: CustomerFilters): boolean {
  return Boolean(f.scheme || f.rule || f.tag || f.region || f.owner || f.q);
}

/** The filters from the URL and a setter that writes them back; changing a filter returns to page 1. */
export function useCustomerFilters(): [CustomerFilters, (change: Partial<CustomerFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const update = useCallback(
    (change: Partial<CustomerFilters>) => {
      setParams((current) => {
        const before = filtersFrom(current);
        const paging = 'page' in change || 'size' in change || 'sort' in change;
        const next = { ...before, ...change, ...(paging ? {} : { page: 1 }) };
        if ('size' in change || 'sort' in change) next.page = change.page ?? 1;
        return paramsOf(next);
      });
    },
    [setParams],
  );
  return [filters, update];
}
