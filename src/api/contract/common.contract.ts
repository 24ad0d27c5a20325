/**
 * Shapes shared by every resource of the HTTP API: the error body, bilingual text,
 * pages and the plain acknowledgement. The resource contracts build on these.
 */

import { z } from 'zod';

/** The error body of every failed request: `{ error: { code, message, message_zh?, details? } }`. */
export const errorDto = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      message_zh: z.string().optional(),
      details: z.unknown().optional(),
    }),
  })
  .describe('error');

/** The usual refusals a resource route answers with, each in the error body. */
export const errorResponses = { 400: errorDto, 401: errorDto, 403: errorDto, 404: errorDto, 409: errorDto };

export const bilingualDto = z.object({ zh: z.string(), en: z.string() });

/** Lines of an explanation, once per language. */
export const explanationLinesDto = z.object({ zh: z.array(z.string()), en: z.array(z.string()) });

/** A page of a list: its items and the paging that produced them. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

/** `page` (from 1) and `pageSize` (up to `max`) of a list's query string. */
export const pagingQueryOf = (options: { max: number; defaultSize: number }) =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(options.max).default(options.defaultSize),
  });

export const okDto = z.object({ ok: z.boolean() });

/** A request that changes something and answers nothing but success. */
export const okTrueDto = z.object({ ok: z.literal(true) });

/** A deletion: no content. */
export const deletedResponse = z.null().describe('deleted');

export type ErrorBody = z.output<typeof errorDto>;
export type Bilingual = z.output<typeof bilingualDto>;
