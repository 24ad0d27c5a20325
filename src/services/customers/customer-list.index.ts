/**
 * The customer list's in-memory index: the columns list filters and sorts read, for
 * every live customer, held in typed arrays for one state of the data. A rule filter
 * over them is a few passes over arrays (`vectorRule`), so a page with a filter nobody
 * asked before, its exact total included, takes milliseconds at a million customers
 * where the database needs hundreds (every match of a metrics rule is a lookup there).
 *
 * The index answers only for the state of the data it was read from. Any write moves
 * the database's change stamp, the list falls back to SQL at once, and the columns in
 * use are read again in the background, no sooner than a pause that grows with the
 * cost of reading them, so a busy database costs at most a quarter of one core.
 */

import { findField } from '../../core/fields.ts';
import {
  fieldValue,
  RULE_HOLDS,
  type StatValues,
  type VectorColumn,
  type VectorRule,
} from '../../core/rules/index.ts';
import {
  ORDERED_COLUMNS,
  type OrderedColumn,
  type RawValue,
  readCustomerClasses,
  readCustomerColumn,
  readCustomerOrder,
  readLiveCustomerIds,
  readTagMembers,
} from '../../db/customers/customer-columns.repository.ts';
import type { Db, DbHandle } from '../../db/database.ts';
import { openResultCache } from '../../db/result-cache.ts';

/** What one list request asks of the index. */
export type IndexQuery = {
  /** `key` names the rule for the cache of answers: its text, say */
  rule?: { vector: VectorRule; stats: StatValues; key: string };
  scopeOwnerId?: number;
  ownerUserId?: number;
  region?: string;
  schemeId?: number;
  classKey?: string;
  tag?: string;
  /** a field of the rule language or an ordered customer column */
  sortKey: string;
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
};

/** A column the index can hold: `f:<field>`, `owner`, `classes` (every scheme's), `order:<column>`, `tag:<name>`. */
type Want = string;

type ClassColumn = { codes: Int32Array; dict: string[] };

type Generation = {
  stamp: string;
  ids: Int32Array;
  /** id → position + 1 (0: not a live customer) */
  posOf: Int32Array;
  fields: Map<string, VectorColumn>;
  /** sort keys by field or column: NaN for null */
  keys: Map<string, Float64Array>;
  owner?: Float64Array;
  /** by scheme id */
  classes?: Map<number, ClassColumn>;
  /** members of each tag, as truths */
  tags: Map<string, Uint8Array>;
};

type IndexState = {
  current?: Generation;
  loading?: Promise<void>;
  /** wanted columns with when they were last asked for */
  wanted: Map<Want, number>;
  nextStart: number;
};

/** Columns not asked for in this long are not read again for the next state of the data. */
const WANT_TTL_MS = 10 * 60_000;
const MIN_PAUSE_MS = 5_000;
/** The pause before reading a new state is this many times the last read's duration. */
const PAUSE_FACTOR = 3;

/** What the index needs of an open database. */
type IndexDb = Pick<DbHandle, 'db' | 'caps'>;

const states = new WeakMap<Db, IndexState>();

function stateOf(handle: IndexDb): IndexState {
  let s = states.get(handle.db);
  if (!s) {
    s = { wanted: new Map(), nextStart: 0 };
    states.set(handle.db, s);
  }
  return s;
}

const SORTABLE_TYPES = new Set(['number', 'money', 'boolean', 'date']);

/** Whether the index can sort by `key` (else the list asks the database). */
export function indexCanSort(key: string): boolean {
  if ((ORDERED_COLUMNS as readonly string[]).includes(key)) return true;
  const field = findField(key);
  return field !== undefined && SORTABLE_TYPES.has(field.type);
}

function sortWant(key: string): Want {
  return (ORDERED_COLUMNS as readonly string[]).includes(key)
    ? `order:${key}`
    : `f:${findField(key)?.key ?? key}`;
}

function wantsOf(q: IndexQuery): Want[] {
  const wants = new Set<Want>([sortWant(q.sortKey)]);
  for (const f of q.rule?.vector.fields ?? []) wants.add(`f:${f}`);
  for (const t of q.rule?.vector.tags ?? []) wants.add(`tag:${t}`);
  if (q.tag !== undefined) wants.add(`tag:${q.tag}`);
  if (q.scopeOwnerId !== undefined || q.ownerUserId !== undefined) wants.add('owner');
  if (q.region !== undefined) wants.add('f:region');
  if (q.schemeId !== undefined) wants.add('classes');
  return [...wants];
}

function has(g: Generation, w: Want): boolean {
  if (w === 'owner') return g.owner !== undefined;
  if (w === 'classes') return g.classes !== undefined;
  if (w.startsWith('tag:')) return g.tags.has(w.slice(4));
  if (w.startsWith('order:')) return g.keys.has(w.slice(6));
  return g.fields.has(w.slice(2));
}

/**
 * The ids of one page and the total, from memory, when the index holds this state of
 * the data and the columns the query reads; undefined otherwise (then the columns are
 * read in the background and the caller asks the database).
 */
export async function pageFromIndex(
  handle: IndexDb,
  q: IndexQuery,
): Promise<{ ids: number[]; total: number } | undefined> {
  const state = stateOf(handle);
  const wants = wantsOf(q);
  const now = Date.now();
  for (const w of wants) state.wanted.set(w, now);
  const cache = await openResultCache(handle.db, handle.caps);
  const g = state.current;
  if (!g || g.stamp !== cache.stamp || !wants.every((w) => has(g, w))) {
    startLoading(handle, state);
    return undefined;
  }
  // The ordered matches are kept, with room for the pages after this one, so paging
  // through a filter (or many users asking for it) evaluates it once.
  const end = q.offset + q.limit;
  const reach = Math.max(FIRST_REACH, 2 ** Math.ceil(Math.log2(Math.max(end, 1))));
  const { offset: _offset, limit: _limit, rule, ...rest } = q;
  // The statistics are part of the answer: an own-scope caller's are over their own customers.
  const key = `index\u0000${reach}\u0000${rule?.key ?? ''}\u0000${JSON.stringify(rule?.stats ?? {})}\u0000${JSON.stringify(rest)}`;
  const top = await cache.get(
    key,
    async () => answer(g, { ...q, offset: 0, limit: reach }),
    (a) => a?.ids.length ?? 1,
  );
  return top && { ids: top.ids.slice(q.offset, end), total: top.total };
}

/** Matches kept per filter and sort: the first pages' worth, a power of two. */
const FIRST_REACH = 1024;

/**
 * Reads the index for the data as it is now, with the key metrics, region, owner and
 * every scheme's classes (and whatever else the list asked for lately): true once it
 * is ready, false when the data kept changing under it: `await warmCustomerListIndex(handle)`.
 */
export async function warmCustomerListIndex(
  handle: IndexDb,
  options: { fields?: readonly string[] } = {},
): Promise<boolean> {
  const state = stateOf(handle);
  const now = Date.now();
  const fields = options.fields ?? [
    'total_amount',
    'order_count',
    'recency_days',
    'last_order_date',
    'region',
  ];
  for (const f of fields) state.wanted.set(`f:${f}`, now);
  state.wanted.set('owner', now);
  state.wanted.set('order:created_at', now);
  state.wanted.set('classes', now);
  state.nextStart = 0;
  // Data that keeps changing may never hold still for a whole read: give up after a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    startLoading(handle, state);
    await state.loading;
    const g = state.current;
    const stamp = await handle.caps.changeStamp(handle.db);
    if (g && g.stamp === stamp && [...state.wanted.keys()].every((w) => has(g, w))) return true;
  }
  return false;
}

function startLoading(handle: IndexDb, state: IndexState): void {
  if (state.loading) return;
  state.loading = load(handle, state)
    .catch(() => {
      // A failed read leaves the list on SQL; the next request tries again.
      state.current = undefined;
    })
    .finally(() => {
      state.loading = undefined;
    });
}

async function load(handle: IndexDb, state: IndexState): Promise<void> {
  const { db, caps } = handle;
  for (;;) {
    const stamp = await caps.changeStamp(db);
    let g = state.current;
    if (!g || g.stamp !== stamp) {
      const wait = state.nextStart - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref?.());
      const started = Date.now();
      const begin = await caps.changeStamp(db);
      state.current = undefined;
      const ids = await readLiveCustomerIds(db);
      if ((await caps.changeStamp(db)) !== begin) {
        state.nextStart = Date.now() + MIN_PAUSE_MS;
        continue;
      }
      const max = ids.length > 0 ? (ids[ids.length - 1] as number) : 0;
      const posOf = new Int32Array(max + 1);
      for (let k = 0; k < ids.length; k++) posOf[ids[k] as number] = k + 1;
      g = { stamp: begin, ids, posOf, fields: new Map(), keys: new Map(), tags: new Map() };
      state.current = g;
      await readWanted(handle, state, g);
      state.nextStart = Date.now() + Math.max(MIN_PAUSE_MS, PAUSE_FACTOR * (Date.now() - started));
      continue;
    }
    const now = Date.now();
    const missing = [...state.wanted].filter(([w, at]) => now - at < WANT_TTL_MS && !has(g, w));
    if (missing.length === 0) return;
    await readWanted(handle, state, g);
  }
}

/** Reads the wanted columns the generation lacks; stops when the data changes under it. */
async function readWanted(handle: IndexDb, state: IndexState, g: Generation): Promise<void> {
  const now = Date.now();
  for (const [w, at] of [...state.wanted]) {
    if (now - at >= WANT_TTL_MS) {
      state.wanted.delete(w);
      continue;
    }
    if (has(g, w)) continue;
    const apply = await readColumn(handle, g, w);
    if ((await handle.caps.changeStamp(handle.db)) !== g.stamp) return;
    apply();
  }
}

/** Reads one column for `g`'s customers; the returned function puts it in place. */
async function readColumn(handle: IndexDb, g: Generation, w: Want): Promise<() => void> {
  const { db } = handle;
  const n = g.ids.length;
  const at = (id: number) => (id < g.posOf.length ? (g.posOf[id] as number) - 1 : -1);
  if (w === 'owner') {
    const owner = new Float64Array(n).fill(Number.NaN);
    await readCustomerColumn(db, {
      key: 'owner_user_id',
      visit: (id, v) => {
        const k = at(id);
        if (k >= 0 && v !== null) owner[k] = Number(v);
      },
    });
    return () => {
      g.owner = owner;
    };
  }
  if (w === 'classes') {
    const byScheme = new Map<number, { codes: Int32Array; dict: Dictionary }>();
    await readCustomerClasses(db, {
      maxId: g.posOf.length - 1,
      visit: (id, schemeId, classKey) => {
        const k = at(id);
        if (k < 0) return;
        let c = byScheme.get(schemeId);
        if (!c) {
          c = { codes: new Int32Array(n).fill(-1), dict: dictionary() };
          byScheme.set(schemeId, c);
        }
        c.codes[k] = c.dict.codeOf(classKey);
      },
    });
    return () => {
      g.classes = new Map([...byScheme].map(([id, c]) => [id, { codes: c.codes, dict: c.dict.values }]));
    };
  }
  if (w.startsWith('tag:')) {
    const name = w.slice(4);
    const members = new Uint8Array(n);
    await readTagMembers(db, {
      name,
      visit: (id) => {
        const k = at(id);
        if (k >= 0) members[k] = RULE_HOLDS;
      },
    });
    return () => {
      g.tags.set(name, members);
    };
  }
  if (w.startsWith('order:')) {
    const column = w.slice(6) as OrderedColumn;
    const keys = new Float64Array(n).fill(Number.NaN);
    let rank = 0;
    await readCustomerOrder(db, {
      column,
      visit: (id) => {
        const k = at(id);
        if (k >= 0) keys[k] = rank++;
      },
    });
    return () => {
      g.keys.set(column, keys);
    };
  }
  const key = w.slice(2);
  const field = findField(key);
  if (!field) throw new Error(`no field ${key}`);
  if (field.type === 'number' || field.type === 'money') {
    const values = new Float64Array(n).fill(Number.NaN);
    await readCustomerColumn(db, {
      key,
      visit: (id, v) => {
        const k = at(id);
        const x = fieldValue(field.type, v);
        if (k >= 0 && typeof x === 'number') values[k] = x;
      },
    });
    return () => {
      g.fields.set(key, { kind: 'number', values });
      g.keys.set(key, values);
    };
  }
  if (field.type === 'boolean') {
    const values = new Uint8Array(n).fill(1);
    const keys = new Float64Array(n).fill(Number.NaN);
    await readCustomerColumn(db, {
      key,
      visit: (id, v) => {
        const k = at(id);
        const x = fieldValue('boolean', v);
        if (k < 0 || x === null) return;
        values[k] = x ? 2 : 0;
        keys[k] = x ? 1 : 0;
      },
    });
    return () => {
      g.fields.set(key, { kind: 'boolean', values });
      g.keys.set(key, keys);
    };
  }
  // Text and dates: codes into a dictionary kept in ascending order, so for dates
  // ('YYYY-MM-DD', the same order on every engine) the code is also the sort key.
  const raw = new Int32Array(n).fill(-1);
  const seen = dictionary();
  await readCustomerColumn(db, {
    key,
    visit: (id, v: RawValue) => {
      const k = at(id);
      const x = fieldValue(field.type, v);
      if (k < 0 || x === null) return;
      raw[k] = seen.codeOf(String(x));
    },
  });
  const firstDict = seen.values;
  const order = firstDict
    .map((_, i) => i)
    .sort((a, b) => {
      const x = firstDict[a] as string;
      const y = firstDict[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const renumber = new Int32Array(order.length);
  order.forEach((old, i) => {
    renumber[old] = i;
  });
  const dict = order.map((i) => firstDict[i] as string);
  const keys = field.type === 'date' ? new Float64Array(n).fill(Number.NaN) : undefined;
  for (let k = 0; k < n; k++) {
    const c = raw[k] as number;
    if (c < 0) continue;
    const code = renumber[c] as number;
    raw[k] = code;
    if (keys) keys[k] = code;
  }
  return () => {
    g.fields.set(key, { kind: 'text', codes: raw, dict });
    if (keys) g.keys.set(key, keys);
  };
}

type Dictionary = { values: string[]; codeOf(value: string): number };

/** Distinct strings numbered in order of first sight. */
function dictionary(): Dictionary {
  const values: string[] = [];
  const codes = new Map<string, number>();
  return {
    values,
    codeOf(value) {
      let code = codes.get(value);
      if (code === undefined) {
        code = values.push(value) - 1;
        codes.set(value, code);
      }
      return code;
    },
  };
}

/** Top `k` positions in list order: non-null keys first in `dir`, then nulls, ties by id in `dir`. */
function answer(g: Generation, q: IndexQuery): { ids: number[]; total: number } | undefined {
  const n = g.ids.length;
  let truths: Uint8Array | undefined;
  if (q.rule) {
    truths = q.rule.vector.evaluate({
      size: n,
      stats: q.rule.stats,
      column: (key) => {
        const c = g.fields.get(key);
        if (!c) throw new Error(`column ${key} is not loaded`);
        return c;
      },
      tag: (name) => {
        const t = g.tags.get(name);
        if (!t) throw new Error(`tag ${name} is not loaded`);
        return t;
      },
    });
    if (!truths) return undefined;
  }
  const owner = g.owner;
  const ownerIds = [q.scopeOwnerId, q.ownerUserId].filter((x): x is number => x !== undefined);
  let regionCodes: Int32Array | undefined;
  let regionCode = -1;
  if (q.region !== undefined) {
    const c = g.fields.get('region');
    if (c?.kind !== 'text') return undefined;
    regionCodes = c.codes;
    regionCode = c.dict.indexOf(q.region);
    if (regionCode < 0) return { ids: [], total: 0 };
  }
  let classCodes: Int32Array | undefined;
  let classCode = -1;
  if (q.schemeId !== undefined) {
    if (!g.classes) return undefined;
    const c = g.classes.get(q.schemeId);
    // No customer has a class under this scheme yet.
    if (!c) return { ids: [], total: 0 };
    classCodes = c.codes;
    if (q.classKey !== undefined) {
      classCode = c.dict.indexOf(q.classKey);
      if (classCode < 0) return { ids: [], total: 0 };
    }
  }
  let tagged: Uint8Array | undefined;
  if (q.tag !== undefined) {
    tagged = g.tags.get(q.tag);
    if (!tagged) return undefined;
  }
  const matches = new Int32Array(n);
  let total = 0;
  if (ownerIds.length === 0 && !regionCodes && !classCodes && !tagged) {
    // The common case, a rule alone (or nothing): one tight loop.
    if (truths) {
      for (let k = 0; k < n; k++) if (truths[k] === RULE_HOLDS) matches[total++] = k;
    } else {
      for (let k = 0; k < n; k++) matches[total++] = k;
    }
  } else {
    const ownerId = ownerIds[0] ?? Number.NaN;
    if (ownerIds.length > 0 && !owner) return undefined;
    // Two different owners asked for at once (scope and filter) match nobody.
    if (ownerIds.some((id) => id !== ownerId)) return { ids: [], total: 0 };
    const owners = ownerIds.length > 0 ? owner : undefined;
    for (let k = 0; k < n; k++) {
      if (truths && truths[k] !== RULE_HOLDS) continue;
      if (owners && owners[k] !== ownerId) continue;
      if (regionCodes && regionCodes[k] !== regionCode) continue;
      if (tagged && tagged[k] !== RULE_HOLDS) continue;
      if (classCodes) {
        const c = classCodes[k] as number;
        if (classCode < 0 ? c < 0 : c !== classCode) continue;
      }
      matches[total++] = k;
    }
  }
  const keys = g.keys.get(
    (ORDERED_COLUMNS as readonly string[]).includes(q.sortKey)
      ? q.sortKey
      : (findField(q.sortKey)?.key ?? ''),
  );
  if (!keys) return undefined;
  const end = Math.min(total, q.offset + q.limit);
  const top = topPositions(matches.subarray(0, total), { keys, desc: q.dir === 'desc', count: end });
  return { ids: Array.from(top.subarray(q.offset, end), (k) => g.ids[k] as number), total };
}

/** The first `count` of `positions` in list order, by a bounded heap (a full sort when `count` is large). */
function topPositions(
  positions: Int32Array,
  options: { keys: Float64Array; desc: boolean; count: number },
): Int32Array {
  const { keys, desc, count } = options;
  // before(a, b): a comes earlier in the list than b.
  const before = (a: number, b: number): boolean => {
    const x = keys[a] as number;
    const y = keys[b] as number;
    const xNull = Number.isNaN(x);
    const yNull = Number.isNaN(y);
    if (xNull !== yNull) return yNull;
    if (!xNull && x !== y) return desc ? x > y : x < y;
    return desc ? a > b : a < b;
  };
  if (count <= 0) return new Int32Array(0);
  if (count * 8 >= positions.length) {
    return Int32Array.from(positions)
      .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
      .subarray(0, count);
  }
  // A max-heap (by list order) of the best `count` seen: its root is the worst of them.
  const heap = new Int32Array(count);
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < size && before(heap[worst] as number, heap[l] as number)) worst = l;
      if (r < size && before(heap[worst] as number, heap[r] as number)) worst = r;
      if (worst === i) return;
      const t = heap[i] as number;
      heap[i] = heap[worst] as number;
      heap[worst] = t;
      i = worst;
    }
  };
  // Keys that follow the id (creation time, codes) are the worst case for the heap when
  // walked against the wanted order: every position would displace its root. Walking
  // from the end for a descending list takes those in their best order.
  const last = positions.length - 1;
  for (let j = 0; j <= last; j++) {
    const p = positions[desc ? last - j : j] as number;
    if (size < count) {
      let i = size++;
      heap[i] = p;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent] as number, heap[i] as number)) break;
        const t = heap[i] as number;
        heap[i] = heap[parent] as number;
        heap[parent] = t;
        i = parent;
      }
    } else if (before(p, heap[0] as number)) {
      heap[0] = p;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
