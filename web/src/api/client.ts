/** The one way the web app talks to the Kelei API: JSON, the session cookie, the CSRF header on writes. */

import {
  apiPath,
  type BodyOf,
  methodOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
  type Route,
} from '../../../src/api/contract/endpoint.ts';
import type { ErrorBody } from './contract.ts';

/** A refused or failed API call, carrying the server's code and both languages of its message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageZh: string | undefined;
  readonly details: unknown;

  constructor(status: number, body: ErrorBody['error']) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.messageZh = body.message_zh;
    this.details = body.details;
  }
}

const CSRF_COOKIE = 'kelei_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function csrfToken(): string | undefined {
  const match = document.cookie.split('; ').find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : undefined;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** `/api/v1` + path, with the defined query parameters appended. */
export function apiUrl(path: string, query?: Query): string {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url.pathname + url.search;
}

type RequestOptions = { method: string; query?: Query; body?: unknown; signal?: AbortSignal };

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (body.error?.code) return new ApiError(response.status, body.error);
  } catch {
    // not JSON: a proxy or a crashed server answered
  }
  return new ApiError(response.status, {
    code: response.status >= 500 ? 'ServerError' : 'HttpError',
    message: `HTTP ${response.status}`,
  });
}

/** Sends one request and answers its parsed JSON (undefined for 204); throws ApiError on any 4xx/5xx. */
async function send(path: string, options: RequestOptions): Promise<unknown> {
  const { method } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      signal: options.signal,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, {
      code: 'NetworkError',
      message: 'the server cannot be reached',
      message_zh: '无法连接服务器',
    });
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? await response.json() : await response.text();
}

type Never<T> = [T] extends [never] ? true : false;

/** What a call of a route takes: its path parameters, query string and body as the contract types them. */
export type CallOptions<R extends Route> = { signal?: AbortSignal } & (keyof ParamsOf<R> extends never
  ? { params?: undefined }
  : { params: ParamsOf<R> }) &
  (Never<QueryOf<R>> extends true ? { query?: undefined } : { query?: QueryOf<R> }) &
  (Never<BodyOf<R>> extends true
    ? { body?: undefined }
    : undefined extends BodyOf<R>
      ? { body?: BodyOf<R> }
      : { body: BodyOf<R> });

type CallArgs<R extends Route> =
  object extends CallOptions<R> ? [options?: CallOptions<R>] : [options: CallOptions<R>];

/**
 * Calls an endpoint of the contract (src/api/contract/endpoints.contract.ts) and answers
 * what the contract says it answers: `await api('GET /schemes/:key', { params: { key } })`
 * is a Scheme. Throws ApiError on any 4xx/5xx.
 */
export async function api<R extends Route>(route: R, ...[options]: CallArgs<R>): Promise<ResponseOf<R>> {
  const call: { params?: unknown; query?: unknown; body?: unknown; signal?: AbortSignal } = options ?? {};
  const answer = await send(apiPath(route, call.params as ParamsOf<R> | undefined), {
    method: methodOf(route),
    query: call.query as Query | undefined,
    body: call.body,
    signal: call.signal,
  });
  // The server serialises every answer through the same schema (fastify-type-provider-zod).
  return answer as ResponseOf<R>;
}

/** The CSRF header for requests made outside `api()` (XHR uploads with progress). */
export function csrfHeaders(): Record<string, string> {
  const token = csrfToken();
  return token ? { 'x-csrf-token': token } : {};
}
