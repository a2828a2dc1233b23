// The peer a data team would write (the equivalent of ../shared/bench/duckdb-peer.mjs, kept here
// for `npm run bench`): the bench's classification (mql, sales_ready, won), MQLs per product and
// month, and for each sales-ready lead its first call/e-mail and touches within 16 days (elapsed
// time, not business hours: it does less than eval), as plain SQL in embedded DuckDB, on the
// CSV files or, with --parquet, on leads.parquet and activities.parquet. Prints counts as JSON.
//   node bench/peer-duckdb.mjs SNAPSHOT_DIR [--parquet]
import { DuckDBInstance } from "@duckdb/node-api";

const dir = process.argv[2] ?? "bench/data/1000000";
const parquet = process.argv.includes("--parquet");
const from = (name) => (parquet ? `read_parquet('${dir}/${name}.parquet')` : `read_csv('${dir}/${name}.csv', header = true)`);
const t0 = performance.now();
const db = await DuckDBInstance.create(":memory:", { threads: "2" });
const c = await db.connect();
const q = async (sql) => (await c.runAndReadAll(sql)).getRowObjects();
await c.run(`
create temp view leads as select * from ${from("leads")};
create temp table cls as
  select id, email, product, "Became a Marketing Qualified Lead Date" as mql_at,
         "Became a Sales Qualified Lead Date" as sql_at, deal_stage,
         (lifecycle_stage in ('marketingqualifiedlead','salesqualifiedlead','opportunity')
          or ("HubSpot Score" >= 60 and "Number of Employees" >= 50)) as is_mql,
         (demo_requested or job_level in ('VP','C-level')) and not lower(email) like '%@gmail.com'
          and coalesce(country, '') <> '' as ready_part
  from leads;
create temp table clock as
  select id, sql_at as start from cls where is_mql and ready_part and sql_at is not null;
`);
const [counts] = await q(`select count(*) filter (where is_mql) as mql, count(*) filter (where is_mql and ready_part) as ready,
  count(*) filter (where deal_stage = 'closedwon') as won from cls`);
const [cells] = await q(`select count(*) as cells from (select distinct product, strftime(mql_at, '%Y-%m') from cls where is_mql and mql_at is not null)`);
const [touch] = await q(`
with a as (select lead_id, type, "at" as at from ${from("activities")}
           where type in ('call','email')),
t as (select k.id, min(a.at) as first, count(*) filter (where a.at - k.start <= interval 16 days) as n
      from clock k join a on a.lead_id = k.id and a.at >= k.start group by k.id)
select (select count(*) from clock) as clocked,
       count(*) filter (where first - k.start <= interval 5 hours) as met,
       count(*) filter (where n > 4) as capBreach
from clock k left join t using (id)`);
const out = { mql: Number(counts.mql), ready: Number(counts.ready), won: Number(counts.won), cells: Number(cells.cells),
  clocked: Number(touch.clocked), met: Number(touch.met), capBreach: Number(touch.capBreach), ms: Math.round(performance.now() - t0) };
console.log(JSON.stringify(out));
