/**
 * The baseline of the full reclassification: DuckDB computes the RFM metrics and
 * quintile scores of docs/classification.md straight from the orders CSV and prints
 * `{"seconds": …, "scored": …}`. Run by bench/run.ts as a child process.
 */
const spec = JSON.parse(process.argv[2] ?? '{}') as { orders: string; lines: boolean; asOf: string };

let duckdb: typeof import('@duckdb/node-api');
try {
  duckdb = await import('@duckdb/node-api');
} catch {
  process.exit(1);
}
const instance = await duckdb.DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const file = spec.orders.replace(/'/g, "''");
const lines = spec.lines
  ? // order lines: amount = quantity × unit price, one order per invoice
    `select CustomerID::varchar as code, InvoiceNo as invoice, min(InvoiceDate)::date as d, sum(Quantity * UnitPrice) as amount
       from read_csv('${file}', header = true) where CustomerID is not null group by all`
  : `select "客户编号" as code, "下单时间"::date as d, "金额" as amount from read_csv('${file}', header = true)`;
const query = `
  create or replace table rfm as
  with o as (${lines}),
  agg as (
    select code,
      max(d) filter (where amount > 0) as last_date,
      count(*) filter (where amount > 0 and d > date '${spec.asOf}' - 365) as f,
      coalesce(sum(amount) filter (where d > date '${spec.asOf}' - 365), 0) as m
    from o where d <= date '${spec.asOf}' group by code
  ),
  scored as (select code, date '${spec.asOf}' - last_date as recency, f, m from agg where f >= 1)
  select code, recency, f, m,
    1 + floor(5 * (rank() over (order by recency desc) - 1) / count(*) over ()) as r_score,
    1 + floor(5 * (rank() over (order by f) - 1) / count(*) over ()) as f_score,
    1 + floor(5 * (rank() over (order by m) - 1) / count(*) over ()) as m_score
  from scored`;
const started = process.hrtime.bigint();
await connection.run(query);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const n = await connection.runAndReadAll('select count(*)::integer as n from rfm');
const scored = Number(n.getRowObjects()[0].n);
connection.closeSync();
instance.closeSync();
console.log(JSON.stringify({ seconds, scored }));
