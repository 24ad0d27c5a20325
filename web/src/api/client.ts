/** The one way the web app talks to the Kelei API: JSON, the session cookie, the CSRF header on writes. */

export type ErrorBody = {
  error: { code: string; message: string; message_zh?: string; details?: unknown };
};

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

type RequestOptions = { method?: string; query?: Query; body?: unknown; signal?: AbortSignal };

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

/** Calls the API and returns the parsed JSON; throws ApiError on any 4xx/5xx. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json' };
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['content-type'] = 'application/json';
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
      body:
        options.body === undefined
          ? undefined
          : isForm
            ? (options.body as FormData)
            : JSON.stringify(options.body),
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
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** The CSRF header for requests made outside `api()` (XHR uploads with progress). */
export function csrfHeaders(): Record<string, string> {
  const token = csrfToken();
  return token ? { 'x-csrf-token': token } : {};
}
