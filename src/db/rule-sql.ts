import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { type FieldType, findField } from '../core/fields.ts';
import {
  averageFrom,
  type Expr,
  exactSum,
  interpolate,
  percentileRows,
  positionOf,
  type RuleParams,
  ruleFailure,
  type StatSpec,
  type StatValues,
  statKey,
} from '../core/rules/index.ts';
import type { DialectCapabilities } from './dialects/capabilities.ts';
import type { Database } from './schema.ts';

/**
 * The relation every compiled rule reads: customers `c` with their metrics `m`
 * (absent metrics read as nulls): `ruleSource(db).select('c.id').where(ruleToSql(ast, opts))`.
 */
export function ruleSource(db: Kysely<Database>) {
  return db.selectFrom('customers as c').leftJoin('customer_metrics as m', 'm.customer_id', 'c.id');
}

export type RuleSqlOptions = {
  caps: DialectCapabilities;
  /** population statistics by statKey, computed beforehand (`resolveStatsSql` or `computeStats`) */
  stats?: StatValues;
  params?: RuleParams;
};

/**
 * Compiles a checked rule to a condition over `ruleSource`, with the same
 * three-valued semantics as `evaluateRule`: every number is an IEEE double
 * (money in yuan), division by zero is null, literals and statistics are bound
 * parameters with explicit casts so PostgreSQL never has to guess their type.
 */
export function ruleToSql(ast: Expr, options: RuleSqlOptions): Expression<SqlBool> {
  return sql<SqlBool>`${compile(ast, options)}`;
}

/** Boolean constants as comparisons: a boolean on both engines (SQLite before 3.23 has no TRUE). */
const TRUE = sql`(1 = 1)`;
const FALSE = sql`(1 = 0)`;

/** The column of a rule field in `ruleSource`: `fieldColumn('total_amount') === 'm.total_amount'`. */
export function fieldColumn(key: string): string | undefined {
  const f = findField(key);
  if (!f) return undefined;
  return `${f.source === 'customer' ? 'c' : 'm'}.${f.column ?? f.key}`;
}

function columnOf(key: string): { ref: RawBuilder<unknown>; type: FieldType } {
  const f = findField(key);
  const column = fieldColumn(key);
  if (!f || column === undefined) {
    throw ruleFailure({ code: 'UnknownField', zh: `未知字段“${key}”`, en: `Unknown field "${key}"` });
  }
  return { ref: sql.ref(column), type: f.type };
}

function compile(e: Expr, options: RuleSqlOptions): RawBuilder<unknown> {
  const { caps } = options;
  const c = (x: Expr) => compile(x, options);
  switch (e.kind) {
    case 'number':
      return caps.toFloat(sql.val(e.value));
    case 'string':
      return sql`cast(${sql.val(e.value)} as text)`;
    case 'boolean':
      return e.value ? TRUE : FALSE;
    case 'date':
      return caps.toDate(sql.val(e.value));
    case 'param': {
      const params = options.params ?? {};
      const v = Object.hasOwn(params, e.name) ? params[e.name] : undefined;
      if (v === undefined) {
        throw ruleFailure({
          code: 'UnknownParam',
          pos: positionOf(e),
          zh: `未提供参数 $${e.name}`,
          en: `No value for parameter $${e.name}`,
        });
      }
      if (typeof v === 'boolean') return v ? TRUE : FALSE;
      if (typeof v === 'number') return caps.toFloat(sql.val(v));
      return e.asDate ? caps.toDate(sql.val(v)) : sql`cast(${sql.val(v)} as text)`;
    }
    case 'field': {
      const { ref, type } = columnOf(e.key);
      switch (type) {
        case 'money':
          // Fen to yuan in double precision, exactly as JavaScript's fen / 100.
          return sql`(${caps.toFloat(ref)} / 100)`;
        case 'number':
          // Doubles everywhere: no integer division, no int4 overflow on PostgreSQL.
          return caps.toFloat(ref);
        case 'boolean':
          return sql`(${ref} <> 0)`;
        default:
          return ref;
      }
    }
    case 'stat': {
      const key = statKey(e.stat);
      const stats = options.stats ?? {};
      const v = Object.hasOwn(stats, key) ? stats[key] : undefined;
      if (v === undefined) {
        throw ruleFailure({
          code: 'MissingStat',
          pos: positionOf(e),
          zh: `缺少总体统计值 ${key}`,
          en: `Population statistic ${key} was not computed`,
        });
      }
      return caps.toFloat(sql.val(v));
    }
    case 'has_tag':
      return sql`exists (select 1 from customer_tags ct join tags t on t.id = ct.tag_id where ct.customer_id = ${sql.ref('c.id')} and t.name = ${sql.val(e.tag)})`;
    case 'neg':
      return sql`(- ${c(e.arg)})`;
    case 'arith':
      if (e.op === '/') return sql`(${c(e.left)} / nullif(${c(e.right)}, 0))`;
      return sql`(${c(e.left)} ${sql.raw(e.op)} ${c(e.right)})`;
    case 'compare':
      return sql`(${c(e.left)} ${sql.raw(e.op === '!=' ? '<>' : e.op)} ${c(e.right)})`;
    case 'in':
      return sql`(${c(e.arg)} ${sql.raw(e.negated ? 'not in' : 'in')} (${sql.join(e.list.map(c))}))`;
    case 'between':
      return sql`(${c(e.arg)} ${sql.raw(e.negated ? 'not between' : 'between')} ${c(e.low)} and ${c(e.high)})`;
    case 'contains':
      return sql`(${caps.position(c(e.left), c(e.right))} > 0)`;
    case 'starts_with': {
      const needle = c(e.right);
      return sql`(substr(${c(e.left)}, 1, length(${needle})) = ${needle})`;
    }
    case 'is_null':
      return sql`(${c(e.arg)} ${sql.raw(e.negated ? 'is not null' : 'is null')})`;
    case 'not':
      return sql`(not ${c(e.arg)})`;
    case 'and':
    case 'or':
      return sql`(${sql.join(e.args.map(c), sql.raw(` ${e.kind} `))})`;
  }
}

type ValueRow = { v: number | string };

/** Sums of integers below this are exact in doubles, whatever order the engine adds them in. */
const EXACT_LIMIT = 2 ** 53;

/**
 * Computes population statistics in the database over `ruleSource`, equal to
 * `computeStats` over the same rows: averages from exact integer sums (values are
 * fetched and summed exactly when a column holds fractions), percentiles from the
 * two ordered rows PostgreSQL's `percentile_cont` would interpolate between.
 * With `ownerUserId`, over that user's live customers only (an own-scope caller's rule).
 */
export async function resolveStatsSql(
  db: Kysely<Database>,
  refs: readonly StatSpec[],
  scope: { ownerUserId?: number } = {},
): Promise<StatValues> {
  const fields = [...new Set(refs.map((r) => r.field))];
  if (fields.length === 0) return {};
  const columns = fields.map((f) => columnOf(f).ref);
  const owned =
    scope.ownerUserId === undefined
      ? sql``
      : sql` and c.owner_user_id = ${scope.ownerUserId} and c.erased_at is null`;
  const from = sql`customers as c left join customer_metrics as m on m.customer_id = c.id`;
  const aggregates = columns.map(
    (col, i) =>
      sql`count(${col}) as ${sql.raw(`n${i}`)}, sum(${col}) as ${sql.raw(`s${i}`)}, sum(case when round(${col}) = ${col} then 0 else 1 end) as ${sql.raw(`f${i}`)}, max(abs(${col})) as ${sql.raw(`a${i}`)}`,
  );
  const summary = await sql<
    Record<string, number | string | null>
  >`select ${sql.join(aggregates)} from ${from} where 1 = 1${owned}`.execute(db);
  const row = summary.rows[0] ?? {};
  const num = (v: number | string | null | undefined): number =>
    v === null || v === undefined ? 0 : Number(v);

  const out: Record<string, number | null> = {};
  for (const ref of refs) {
    const i = fields.indexOf(ref.field);
    const col = columns[i];
    const money = findField(ref.field)?.type === 'money';
    const count = num(row[`n${i}`]);
    if (count === 0) {
      out[statKey(ref)] = null;
      continue;
    }
    if (ref.kind === 'avg') {
      const integral = num(row[`f${i}`]) === 0 && num(row[`a${i}`]) * count < EXACT_LIMIT;
      if (integral) {
        out[statKey(ref)] = averageFrom({ sum: num(row[`s${i}`]), count, money });
      } else {
        const values =
          await sql<ValueRow>`select ${col} as v from ${from} where ${col} is not null${owned}`.execute(db);
        const sum = exactSum(values.rows.map((r) => Number(r.v)));
        out[statKey(ref)] = averageFrom({ sum, count: values.rows.length, money });
      }
      continue;
    }
    const { lo, hi, weight } = percentileRows(count, ref.kind === 'median' ? 50 : ref.p);
    const picked =
      await sql<ValueRow>`select ${col} as v from ${from} where ${col} is not null${owned} order by ${col} limit ${sql.val(hi - lo + 1)} offset ${sql.val(lo)}`.execute(
        db,
      );
    if (picked.rows.length === 0) {
      // The population shrank between the two queries; no value is better than a wrong one.
      out[statKey(ref)] = null;
      continue;
    }
    const scale = (v: number) => (money ? v / 100 : v);
    const low = scale(Number(picked.rows[0].v));
    const high = scale(Number(picked.rows[picked.rows.length - 1].v));
    out[statKey(ref)] = interpolate({ low, high, weight });
  }
  return out;
}
