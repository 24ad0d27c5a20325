import type { DbHandle } from '../../db/database.ts';
import { populationScope } from '../auth/policy.ts';
import type { Access } from './customer-access.ts';

/** How many of the caller's customers carry each value: the choices of the list's quick filters. */
export type CustomerFacets = {
  regions: { value: string; count: number }[];
  tags: { name: string; count: number }[];
  owners: { id: number; username: string; displayName: string | null; count: number }[];
};

/** Enough choices for a dropdown; a workspace with more values filters by rule instead. */
const FACET_LIMIT = 200;

/**
 * Regions, tags and owners of the customers the caller may see, most frequent first:
 * `getCustomerFacets(handle, { access })` → `{ regions: [{ value: '华东', count: 120 }], … }`.
 */
export async function getCustomerFacets(
  handle: DbHandle,
  options: { access: Access },
): Promise<CustomerFacets> {
  const { db } = handle;
  const scope = populationScope(options.access.principal, 'customerFacets').ownerUserId;
  const live = () =>
    db
      .selectFrom('customers as c')
      .where('c.erased_at', 'is', null)
      .$if(scope !== undefined, (q) => q.where('c.owner_user_id', '=', scope ?? 0));

  const [regions, tags, owners] = await Promise.all([
    live()
      .where('c.region', 'is not', null)
      .select((eb) => ['c.region as value', eb.fn.countAll().as('n')])
      .groupBy('c.region')
      .orderBy('n', 'desc')
      .orderBy('c.region')
      .limit(FACET_LIMIT)
      .execute(),
    // Every tag is offered, even one nobody carries yet, so the dropdown lists the whole vocabulary.
    db
      .selectFrom('tags as t')
      .leftJoin('customer_tags as ct', 'ct.tag_id', 't.id')
      .leftJoin('customers as c', (join) =>
        join
          .onRef('c.id', '=', 'ct.customer_id')
          .on('c.erased_at', 'is', null)
          .$call((j) => (scope === undefined ? j : j.on('c.owner_user_id', '=', scope))),
      )
      .select((eb) => ['t.name as name', eb.fn.count('c.id').as('n')])
      .groupBy('t.name')
      .orderBy('n', 'desc')
      .orderBy('t.name')
      .limit(FACET_LIMIT)
      .execute(),
    live()
      .innerJoin('users as u', 'u.id', 'c.owner_user_id')
      .select((eb) => [
        'u.id as id',
        'u.username as username',
        'u.display_name as display_name',
        eb.fn.countAll().as('n'),
      ])
      .groupBy(['u.id', 'u.username', 'u.display_name'])
      .orderBy('n', 'desc')
      .orderBy('u.username')
      .limit(FACET_LIMIT)
      .execute(),
  ]);
  return {
    regions: regions.map((r) => ({ value: String(r.value), count: Number(r.n) })),
    tags: tags.map((t) => ({ name: t.name, count: Number(t.n) })),
    owners: owners.map((o) => ({
      id: Number(o.id),
      username: o.username,
      displayName: o.display_name,
      count: Number(o.n),
    })),
  };
}
