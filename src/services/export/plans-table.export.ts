import type { Db } from '../../db/database.ts';
import { roleLabel } from './export-labels.ts';
import { actionsText, type ExportPlan, loadActiveSchemes } from './scheme-definition.reader.ts';
import type { SheetSpec } from './table.writer.ts';

export type PlansSheetOptions = { db: Db };

export const PLANS_SHEET_NAME = '客户维护计划表';

/**
 * 客户维护计划表: one row per class of each active scheme with its customer count and
 * maintenance plan — the plans table's row when one exists, field by field falling back
 * to the plan in the scheme definition. Small (schemes × classes), read in one go.
 */
export async function plansSheet(options: PlansSheetOptions): Promise<SheetSpec> {
  const { db } = options;
  const schemes = await loadActiveSchemes(db);
  const schemeIds = schemes.map((s) => s.id);
  const counts =
    schemeIds.length === 0
      ? []
      : await db
          .selectFrom('customer_classes')
          .select(['scheme_id', 'class_key', (eb) => eb.fn.countAll<number>().as('n')])
          .where('scheme_id', 'in', schemeIds)
          .groupBy(['scheme_id', 'class_key'])
          .execute();
  const plans =
    schemeIds.length === 0
      ? []
      : await db.selectFrom('plans').selectAll().where('scheme_id', 'in', schemeIds).execute();
  const countOf = new Map(counts.map((c) => [`${c.scheme_id}\u0000${c.class_key}`, Number(c.n)]));
  const planOf = new Map(plans.map((p) => [`${p.scheme_id}\u0000${p.class_key}`, p]));

  const records: Array<Record<string, unknown>> = [];
  for (const scheme of schemes) {
    const defined = new Map(scheme.classes.map((c) => [c.key, c.plan]));
    // Classes customers or plans still refer to but the current version dropped come last.
    const extra = [...countOf.keys(), ...planOf.keys()]
      .filter((k) => k.startsWith(`${scheme.id}\u0000`))
      .map((k) => k.slice(k.indexOf('\u0000') + 1))
      .filter((key) => !defined.has(key));
    const keys = [...defined.keys(), ...[...new Set(extra)].sort()];
    for (const key of keys) {
      const id = `${scheme.id}\u0000${key}`;
      const row = planOf.get(id);
      const fallback: ExportPlan | null = defined.get(key) ?? null;
      records.push({
        scheme: scheme.nameZh,
        class_name: scheme.className(key),
        customers: countOf.get(id) ?? 0,
        goal: row?.goal ?? fallback?.goal ?? null,
        actions: actionsText(row?.actions ?? null) ?? fallback?.actions ?? null,
        contact_every_days: row?.contact_every_days ?? fallback?.contactEveryDays ?? null,
        owner_role: roleLabel(row?.owner_role ?? fallback?.ownerRole ?? null),
      });
    }
  }

  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    yield* records;
  }

  return {
    name: PLANS_SHEET_NAME,
    columns: [
      { header: '分类方案', key: 'scheme', width: 16 },
      { header: '客户类别', key: 'class_name', width: 16 },
      { header: '客户数', key: 'customers', kind: 'number' },
      { header: '维护目标', key: 'goal', width: 30 },
      { header: '维护措施', key: 'actions', width: 50 },
      { header: '回访周期(天)', key: 'contact_every_days', kind: 'number', width: 14 },
      { header: '负责角色', key: 'owner_role' },
    ],
    rows: rows(),
  };
}
