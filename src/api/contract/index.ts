/**
 * The HTTP API's contract: the zod schemas of every request and answer, one file per
 * resource, and the map of endpoints. The routes validate and serialise with these
 * schemas; the web app imports their inferred types (type-only, so zod stays out of
 * its bundle). See docs/api.md.
 */

export * from './activities.contract.ts';
export * from './audit.contract.ts';
export * from './auth.contract.ts';
export * from './classification.contract.ts';
export * from './common.contract.ts';
export * from './customers.contract.ts';
export * from './dashboard.contract.ts';
export * from './endpoint.ts';
export * from './endpoints.contract.ts';
export * from './imports.contract.ts';
export * from './privacy.contract.ts';
export * from './rules.contract.ts';
export * from './schemes.contract.ts';
export * from './users.contract.ts';
