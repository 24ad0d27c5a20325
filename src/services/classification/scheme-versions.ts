import { type CompiledScheme, compileScheme } from '../../core/classify.ts';
import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import type { DbHandle } from '../../db/database.ts';

const versionCache = new WeakMap<DbHandle, Map<number, CompiledScheme>>();

/**
 * A published scheme version, compiled once per database and kept (a published
 * version never changes): explanations and one-customer runs reuse it.
 */
export async function compiledSchemeVersion(
  handle: DbHandle,
  options: { db: DbHandle['db']; versionId: number },
): Promise<CompiledScheme> {
  const { versionId } = options;
  let versions = versionCache.get(handle);
  if (!versions) {
    versions = new Map();
    versionCache.set(handle, versions);
  }
  const cached = versions.get(versionId);
  if (cached) return cached;
  const version = await options.db
    .selectFrom('scheme_versions')
    .select(['definition'])
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  const compiled = compileScheme(JSON.parse(version.definition) as SchemeDefinition);
  if (!compiled.ok) throw new Error(`stored scheme version ${versionId} does not compile`);
  versions.set(versionId, compiled.scheme);
  return compiled.scheme;
}
