import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Class counts of the UCI Online Retail file under value_tier, lifecycle and rfm8,
 * computed by DuckDB straight from the CSV and the definitions in docs/classification.md,
 * sharing no code with Kelei: an order is an invoice of a known customer, its amount the
 * sum of its lines' quantity × unit price in fen (cancellations are negative already),
 * its date the invoice's.
 */
export async function retailClassCounts(
  file: string,
  asOf: string,
): Promise<Record<'value_tier' | 'lifecycle' | 'rfm8', Record<string, number>>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const csv = file.replace(/'/g, "''");
  const day = `date '${asOf}'`;
  try {
    await connection.run(`
      create table o as
      select cast(cast(CustomerID as double) as bigint)::varchar as code, InvoiceNo as invoice,
             min(InvoiceDate::timestamp)::date as d,
             sum(round(round(UnitPrice::decimal(18, 4) * 100) * Quantity::bigint))::bigint as amount
        from read_csv('${csv}', header = true, all_varchar = true)
       where CustomerID is not null and CustomerID <> ''
       group by all`);
    await connection.run(`
      create table c as
      select code,
        count(*) filter (where amount > 0) as n,
        sum(amount) as total,
        ${day} - max(d) filter (where amount > 0) as recency,
        ${day} - min(d) filter (where amount > 0) as tenure,
        count(*) filter (where amount > 0 and d > ${day} - 365) as f,
        coalesce(sum(amount) filter (where d > ${day} - 365), 0) as m
      from o where d <= ${day} group by code`);
    await connection.run(`
      create table s as
      with scored as (select * from c where f >= 1)
      select code,
        1 + floor(5 * (rank() over (order by recency desc) - 1) / count(*) over ()) as r,
        1 + floor(5 * (rank() over (order by f) - 1) / count(*) over ()) as fs,
        1 + floor(5 * (rank() over (order by m) - 1) / count(*) over ()) as ms
      from scored`);
    const rows = await connection.runAndReadAll(`
      with means as (select avg(r) as mr, avg(fs) as mf, avg(ms) as mm from s),
      classes as (
        select c.code,
          case when c.n = 0 then 'none' when c.total >= 1000000 then 'high'
               when c.total >= 200000 then 'medium' else 'low' end as value_tier,
          case when c.n = 0 then 'prospect' when c.recency > 180 then 'churned'
               when c.recency > 90 then 'at_risk' when c.tenure <= 90 then 'new'
               when c.n >= 5 and c.tenure >= 365 then 'stable' else 'growing' end as lifecycle,
          case when s.code is null then 'inactive'
               else (case when s.r > mr then 'H' else 'L' end) || (case when s.fs > mf then 'H' else 'L' end)
                    || (case when s.ms > mm then 'H' else 'L' end) end as rfm
        from c left join s using (code) cross join means
      )
      select 'value_tier' as scheme, value_tier as class, count(*)::integer as n from classes group by all
      union all select 'lifecycle', lifecycle, count(*)::integer from classes group by all
      union all select 'rfm8', rfm, count(*)::integer from classes group by all`);
    const rfmNames: Record<string, string> = {
      HHH: 'important_value',
      HLH: 'important_develop',
      LHH: 'important_keep',
      LLH: 'important_retain',
      HHL: 'general_value',
      HLL: 'general_develop',
      LHL: 'general_keep',
      LLL: 'general_retain',
      inactive: 'inactive',
    };
    const out = { value_tier: {}, lifecycle: {}, rfm8: {} } as Record<
      'value_tier' | 'lifecycle' | 'rfm8',
      Record<string, number>
    >;
    for (const r of rows.getRowObjects()) {
      const scheme = String(r.scheme) as keyof typeof out;
      const key = scheme === 'rfm8' ? rfmNames[String(r.class)] : String(r.class);
      out[scheme][key] = Number(r.n);
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
