/**
 * The API's request and answer types, inferred from the zod schemas the server validates
 * with (src/api/contract/). Type-only: nothing of zod reaches the bundle. A field renamed
 * on the server is a type error here.
 */
export type * from '../../../src/api/contract/index.ts';
