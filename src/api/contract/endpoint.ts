/**
 * Request and answer types of an endpoint of src/api/contract/endpoints.contract.ts, and
 * the URL of a call. Nothing here imports zod at run time, so the web app may import it.
 *
 * `ResponseOf<'GET /schemes/:key'>` is the scheme DTO; `apiPath('GET /schemes/:key', { key: 'rfm' })`
 * is `/schemes/rfm`.
 */

import type { z } from 'zod';
import type { Endpoints } from './endpoints.contract.ts';

export type Route = keyof Endpoints;

type Field<R extends Route, K extends string> = Endpoints[R] extends { [P in K]: infer S extends z.ZodType }
  ? S
  : undefined;

/** What a successful call answers (after the server's serialisation). */
export type ResponseOf<R extends Route> =
  Field<R, 'response'> extends z.ZodType ? z.output<Field<R, 'response'>> : never;

/** The body a call sends; never for a route without one. */
export type BodyOf<R extends Route> = Field<R, 'body'> extends z.ZodType ? z.input<Field<R, 'body'>> : never;

/** The query string a call may send; never for a route without one. */
export type QueryOf<R extends Route> =
  Field<R, 'querystring'> extends z.ZodType ? z.input<Field<R, 'querystring'>> : never;

type PathOf<R extends Route> = R extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The path parameters a call fills in: `{ key: string }` for `/schemes/:key`. */
export type ParamsOf<R extends Route> = { [K in ParamNames<PathOf<R>>]: string | number };

export type MethodOf<R extends Route> = R extends `${infer M} ${string}` ? M : never;

/** The method of a route: `methodOf('PUT /schemes/:key/draft')` is `PUT`. */
export function methodOf<R extends Route>(route: R): MethodOf<R> {
  return route.slice(0, route.indexOf(' ')) as MethodOf<R>;
}

/** The path under /api/v1 with its parameters filled in and encoded. */
export function apiPath<R extends Route>(route: R, params?: ParamsOf<R>): string {
  const template = route.slice(route.indexOf(' ') + 1);
  const values = (params ?? {}) as Record<string, string | number>;
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${route}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}
