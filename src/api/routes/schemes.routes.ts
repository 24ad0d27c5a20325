import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { compileScheme } from '../../core/classify.ts';
import { todayIn } from '../../core/dates.ts';
import { KeleiError } from '../../core/errors.ts';
import { FIELDS, type FieldType } from '../../core/fields.ts';
import { type Expr, parseRule } from '../../core/rules/index.ts';
import type { SchemeDefinition } from '../../core/schemes/scheme.ts';
import { latestRuns, type RunReport } from '../../db/classification/classification-reports.repository.ts';
import type { Db } from '../../db/database.ts';
import {
  deleteDraft,
  findDraft,
  listPublishedVersions,
  saveDraft,
  type VersionStamp,
  versionStamps,
} from '../../db/schemes/scheme-drafts.repository.ts';
import {
  findSchemeByKey,
  listSchemes,
  publishSchemeVersion,
  type StoredScheme,
} from '../../db/schemes/schemes.repository.ts';
import { audit } from '../../services/audit/audit.service.ts';
import { queryAuditLog } from '../../services/auth/audit-log.service.ts';
import type { Viewer } from '../../services/auth/policy.ts';
import {
  assertMayPreview,
  ensureBuiltinSchemes,
  previewSchemeAs,
} from '../../services/classification/classification.service.ts';
import { latestRunsFor } from '../../services/classification/run-reports.ts';
import type { AppDeps } from '../app-deps.ts';
import { authorize } from '../authorize.ts';
import {
  definitionBody,
  draftDiscardedDto,
  schemeKeyParams as keyParams,
  previewBody,
  previewDto,
  publishBody,
  type Scheme,
  schemeDraftDto,
  schemeDto,
  schemeListDto,
  schemeVersionsDto,
} from '../contract/schemes.contract.ts';

/**
 * Classification schemes (docs/classification.md): list with current version, history of
 * versions, a draft per scheme (validated on save), preview of a draft against the
 * current classes, publish of the draft as the next version, and custom schemes.
 */
export async function registerSchemesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.handle.db;
  const builtins = () => ensureBuiltinSchemes(deps.handle, deps.clock().toISOString());

  const schemeOrThrow = async (key: string, on: Db = db): Promise<StoredScheme> => {
    const scheme = await findSchemeByKey(on, key);
    if (!scheme) {
      throw new KeleiError('SchemeNotFound', {
        en: `no classification scheme "${key}"`,
        zh: `没有名为“${key}”的分类方案`,
      });
    }
    return scheme;
  };

  /** Publish notes by version: they live in the audit rows of the publications. */
  const publishNotes = async (key: string): Promise<Map<number, string>> => {
    const log = await queryAuditLog(db, {
      filter: { action: 'scheme.publish', entity: 'scheme', entityId: key },
      page: 1,
      pageSize: 500,
      timeZone: deps.config.timeZone,
    });
    const notes = new Map<number, string>();
    for (const entry of log.items) {
      const { version, note } = entry.details ?? {};
      if (typeof version === 'number' && typeof note === 'string' && !notes.has(version)) {
        notes.set(version, note);
      }
    }
    return notes;
  };

  const dtoOf = async (scheme: StoredScheme, viewer: Viewer) => {
    const [stamps, runs] = await Promise.all([versionStamps(db), latestRuns(db)]);
    const seen = await latestRunsFor(db, { viewer, runs });
    return schemeDtoOf(scheme, stamps.get(scheme.id), seen.get(scheme.id));
  };

  r.get(
    '/api/v1/schemes',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Every scheme with its current version, classes, parameters and last run',
        response: { 200: schemeListDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      await builtins();
      const [schemes, stamps, stored] = await Promise.all([
        listSchemes(db, { activeOnly: false }),
        versionStamps(db),
        latestRuns(db),
      ]);
      const runs = await latestRunsFor(db, { viewer: who, runs: stored });
      return { schemes: schemes.map((s) => schemeDtoOf(s, stamps.get(s.id), runs.get(s.id))) };
    },
  );

  r.post(
    '/api/v1/schemes',
    {
      attachValidation: true,
      schema: {
        tags: ['schemes'],
        summary: 'Create a custom scheme (published as version 1)',
        body: definitionBody,
        response: { 201: schemeDto },
      },
    },
    async (request, reply) => {
      const who = authorize(request, 'schemes.write');
      const definition = validDefinition(request);
      await builtins();
      const created = await db.transaction().execute(async (trx) => {
        if (await findSchemeByKey(trx, definition.key)) {
          throw new KeleiError('Conflict', {
            en: `a scheme "${definition.key}" already exists; save a draft of it instead`,
            zh: `分类方案“${definition.key}”已存在，请改为编辑其草稿`,
          });
        }
        const now = deps.clock().toISOString();
        const stored = await publishSchemeVersion(trx, { definition, by: who.username, now });
        await audit(trx, {
          actor: who.username,
          action: 'scheme.publish',
          entity: 'scheme',
          entityId: stored.key,
          details: { version: stored.version, created: true },
          at: deps.clock(),
        });
        return stored;
      });
      return reply.status(201).send(await dtoOf(created, who));
    },
  );

  r.get(
    '/api/v1/schemes/:key',
    {
      schema: {
        tags: ['schemes'],
        summary: 'One scheme with its current version',
        params: keyParams,
        response: { 200: schemeDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      await builtins();
      return dtoOf(await schemeOrThrow(request.params.key), who);
    },
  );

  r.get(
    '/api/v1/schemes/:key/versions',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Published versions of a scheme, newest first, and its draft',
        params: keyParams,
        response: { 200: schemeVersionsDto },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      await builtins();
      const scheme = await schemeOrThrow(request.params.key);
      const [versions, draft, notes] = await Promise.all([
        listPublishedVersions(db, scheme.id),
        findDraft(db, scheme.id),
        publishNotes(scheme.key),
      ]);
      return {
        key: scheme.key,
        currentVersion: scheme.version,
        versions: versions.map((v) => ({
          version: v.version,
          current: v.versionId === scheme.versionId,
          createdAt: v.createdAt,
          publishedAt: v.publishedAt,
          publishedBy: v.publishedBy,
          note: notes.get(v.version) ?? null,
          definition: v.definition,
        })),
        draft: draft ? { savedAt: draft.savedAt, definition: draft.definition } : null,
      };
    },
  );

  r.get(
    '/api/v1/schemes/:key/draft',
    {
      schema: {
        tags: ['schemes'],
        summary: "The scheme's draft",
        params: keyParams,
        response: { 200: schemeDraftDto },
      },
    },
    async (request) => {
      authorize(request, 'schemes.read');
      await builtins();
      const scheme = await schemeOrThrow(request.params.key);
      const draft = await findDraft(db, scheme.id);
      if (!draft) throw noDraft(scheme.key);
      return { savedAt: draft.savedAt, definition: draft.definition };
    },
  );

  r.put(
    '/api/v1/schemes/:key/draft',
    {
      attachValidation: true,
      schema: {
        tags: ['schemes'],
        summary: 'Save a draft definition (validated: 400 InvalidScheme / InvalidRule with line and column)',
        params: keyParams,
        body: definitionBody,
        response: { 200: schemeDraftDto },
      },
    },
    async (request) => {
      authorize(request, 'schemes.write');
      const definition = validDefinition(request);
      await builtins();
      const scheme = await schemeOrThrow(request.params.key);
      sameKey(scheme.key, definition);
      const now = deps.clock().toISOString();
      await saveDraft(db, { schemeId: scheme.id, definition, now });
      return { savedAt: now, definition };
    },
  );

  r.delete(
    '/api/v1/schemes/:key/draft',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Discard the draft',
        params: keyParams,
        response: { 200: draftDiscardedDto },
      },
    },
    async (request) => {
      authorize(request, 'schemes.write');
      const scheme = await schemeOrThrow(request.params.key);
      if (!(await deleteDraft(db, scheme.id))) throw noDraft(scheme.key);
      return { ok: true };
    },
  );

  r.post(
    '/api/v1/schemes/:key/preview',
    {
      attachValidation: true,
      schema: {
        tags: ['schemes'],
        summary:
          'What a definition (default: the draft) would do: counts per class and transitions vs current',
        params: keyParams,
        body: previewBody,
        response: { 200: previewDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.read');
      assertMayPreview(who);
      if (request.validationError) throw invalidScheme(request.validationError);
      await builtins();
      const scheme = await schemeOrThrow(request.params.key);
      let definition = request.body?.definition;
      if (definition) {
        checkDefinition(definition);
        sameKey(scheme.key, definition);
      } else {
        const draft = await findDraft(db, scheme.id);
        if (!draft) throw noDraft(scheme.key);
        definition = draft.definition;
      }
      const asOf = request.body?.asOf ?? todayIn(deps.config.timeZone, deps.clock());
      const summary = await previewSchemeAs(deps.handle, { viewer: who, definition, asOf });
      const currentCounts: Record<string, number> = {};
      for (const [from, row] of Object.entries(summary.transitions)) {
        currentCounts[from] = Object.values(row).reduce((n, v) => n + v, 0);
      }
      return { ...summary, currentCounts };
    },
  );

  r.post(
    '/api/v1/schemes/:key/publish',
    {
      schema: {
        tags: ['schemes'],
        summary: 'Publish the draft as the next version',
        params: keyParams,
        body: publishBody,
        response: { 200: schemeDto },
      },
    },
    async (request) => {
      const who = authorize(request, 'schemes.write');
      await builtins();
      const published = await db.transaction().execute(async (trx) => {
        const scheme = await schemeOrThrow(request.params.key, trx);
        const expected = request.body?.version;
        if (expected !== undefined && expected !== scheme.version) {
          throw new KeleiError(
            'Conflict',
            {
              en: `scheme ${scheme.key} is at version ${scheme.version} now, not ${expected}; review the draft again`,
              zh: `分类方案 ${scheme.key} 当前已是第 ${scheme.version} 版（不是第 ${expected} 版），请重新检查草稿`,
            },
            { currentVersion: scheme.version },
          );
        }
        const draft = await findDraft(trx, scheme.id);
        if (!draft) throw noDraft(scheme.key);
        checkDefinition(draft.definition);
        await deleteDraft(trx, scheme.id);
        const stored = await publishSchemeVersion(trx, {
          definition: draft.definition,
          by: who.username,
          now: deps.clock().toISOString(),
        });
        await audit(trx, {
          actor: who.username,
          action: 'scheme.publish',
          entity: 'scheme',
          entityId: stored.key,
          details: {
            version: stored.version,
            previousVersion: scheme.version,
            ...(request.body?.note ? { note: request.body.note } : {}),
          },
          at: deps.clock(),
        });
        return stored;
      });
      return dtoOf(published, who);
    },
  );
}

function schemeDtoOf(
  scheme: StoredScheme,
  stamp: VersionStamp | undefined,
  run: RunReport | undefined,
): Scheme {
  const d = scheme.definition;
  return {
    key: scheme.key,
    name: d.name,
    description: d.description ?? null,
    builtin: scheme.builtin,
    active: scheme.active,
    version: scheme.version,
    publishedAt: stamp?.publishedAt ?? null,
    publishedBy: stamp?.publishedBy ?? null,
    hasDraft: (stamp?.draftSavedAt ?? null) !== null,
    draftSavedAt: stamp?.draftSavedAt ?? null,
    params: d.params ?? {},
    paramUses: paramUsesOf(d),
    scores: d.scores ?? [],
    classes: d.classes,
    lastRun: run
      ? {
          id: run.id,
          schemeVersion: run.schemeVersion,
          asOf: run.asOf,
          finishedAt: run.finishedAt,
          population: run.population,
          counts: run.counts,
          changed: run.changed,
        }
      : null,
  };
}

const fieldTypes = new Map<string, FieldType>(FIELDS.map((f) => [f.key, f.type]));

/**
 * Which fields each `$param` is compared with, so a form can show a money threshold in
 * yuan and say what it limits: `total_amount >= $high` → high: {type: money, fields: [total_amount]}.
 */
export function paramUsesOf(
  definition: SchemeDefinition,
): Record<string, { type: FieldType | null; fields: string[] }> {
  const uses = new Map<string, Set<string>>();
  for (const name of Object.keys(definition.params ?? {})) uses.set(name, new Set());
  const leaves = (e: Expr, params: Set<string>, fields: Set<string>) => {
    if (e.kind === 'param') params.add(e.name);
    else if (e.kind === 'field') fields.add(e.key);
    else if (e.kind === 'stat') fields.add(e.stat.field);
    else if (e.kind === 'arith') {
      leaves(e.left, params, fields);
      leaves(e.right, params, fields);
    } else if (e.kind === 'neg') leaves(e.arg, params, fields);
  };
  const relate = (sides: readonly Expr[]) => {
    const params = new Set<string>();
    const fields = new Set<string>();
    for (const side of sides) leaves(side, params, fields);
    for (const p of params) {
      const set = uses.get(p) ?? new Set<string>();
      for (const f of fields) set.add(f);
      uses.set(p, set);
    }
  };
  const visit = (e: Expr) => {
    if (e.kind === 'compare') relate([e.left, e.right]);
    else if (e.kind === 'between') relate([e.arg, e.low, e.high]);
    else if (e.kind === 'in') relate([e.arg, ...e.list]);
    else if (e.kind === 'and' || e.kind === 'or') e.args.forEach(visit);
    else if (e.kind === 'not') visit(e.arg);
  };
  for (const c of definition.classes) {
    const parsed = parseRule(c.rule);
    if (parsed.ok) visit(parsed.ast);
  }
  return Object.fromEntries(
    [...uses].map(([name, set]) => {
      const fields = [...set];
      const types = fields.map((f) => fieldTypes.get(f)).filter((t): t is FieldType => t !== undefined);
      const type = types.includes('money') ? 'money' : (types[0] ?? null);
      return [name, { type, fields }];
    }),
  );
}

/** The body's definition once it passed the schema and every rule compiles; else 400. */
function validDefinition(request: FastifyRequest): SchemeDefinition {
  if (request.validationError) throw invalidScheme(request.validationError);
  const parsed = definitionBody.parse(request.body);
  checkDefinition(parsed.definition);
  return parsed.definition;
}

function invalidScheme(error: Error & { validation?: unknown }): KeleiError {
  const issues = Array.isArray(error.validation)
    ? error.validation.map((v: { instancePath?: string; message?: string }) => ({
        path: (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? '',
      }))
    : [];
  const first = issues[0];
  const where = first ? `${first.path || '(root)'}: ${first.message}` : error.message;
  return new KeleiError(
    'InvalidScheme',
    { en: `invalid scheme definition — ${where}`, zh: `分类方案定义不合法——${where}` },
    issues,
  );
}

/** Class keys are unique and every rule parses and type-checks; all rule errors are reported. */
function checkDefinition(definition: SchemeDefinition): void {
  const seen = new Set<string>();
  for (const c of definition.classes) {
    if (seen.has(c.key)) {
      throw new KeleiError(
        'InvalidScheme',
        { en: `class key "${c.key}" appears twice`, zh: `类别键“${c.key}”重复` },
        [{ path: 'classes', message: `duplicate class key ${c.key}` }],
      );
    }
    seen.add(c.key);
  }
  const compiled = compileScheme(definition);
  if (compiled.ok) return;
  const details = compiled.errors.map((e) => ({
    classKey: e.classKey,
    code: e.error.code,
    line: e.error.line,
    column: e.error.column,
    message: e.error.message,
    ...(e.error.suggestion === undefined ? {} : { suggestion: e.error.suggestion }),
  }));
  const first = details[0];
  throw new KeleiError(
    'InvalidRule',
    {
      en: `class ${first.classKey}, line ${first.line}, column ${first.column}: ${first.message.en}`,
      zh: `类别 ${first.classKey} 第 ${first.line} 行第 ${first.column} 列：${first.message.zh}`,
    },
    details,
  );
}

function sameKey(key: string, definition: SchemeDefinition): void {
  if (definition.key !== key) {
    throw new KeleiError(
      'InvalidScheme',
      {
        en: `the definition's key "${definition.key}" differs from the scheme "${key}"`,
        zh: `定义中的键“${definition.key}”与分类方案“${key}”不一致`,
      },
      [{ path: 'definition.key', message: `expected ${key}` }],
    );
  }
}

function noDraft(key: string): KeleiError {
  return new KeleiError('NotFound', {
    en: `scheme ${key} has no draft; save one with PUT /api/v1/schemes/${key}/draft`,
    zh: `分类方案 ${key} 没有草稿，请先保存草稿`,
  });
}
