import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { AnalyticsDb } from './analytics-sql.ts';

// Adds one fold batch's counts to the running totals (analytics_running).
// A delta of n clicks for (dimension, value) on day d raises that value's
// row at d and every later row by n. Three statements per chunk of groups:
//   1. insert the row at d if missing, holding the total before d (the last
//      row before d, or 0), so step 2 can treat it like any later row;
//   2. add the deltas to the rows at and after d, as non-overlapping day
//      ranges per value (a batch across midnight has two days for a value;
//      an UPDATE ... FROM must match each row once);
//   3. move the value's last_day forward in analytics_values.
// Clicks are folded in id order, which is time order, so step 2 nearly
// always touches the one row at d: the batch cost is three seeks per group
// instead of the daily table's one upsert (fold rate in BENCHMARKS.md).

/** One batch's clicks and new visitors for a (workspace, dimension, value, day). */
export interface RunningDelta {
  workspace_id: string;
  dim: string;
  value: string;
  day: number;
  clicks: number;
  visitors: number;
}

/** Groups per statement: the range update binds 7 parameters each, far under SQLite's 32,766 and PostgreSQL's 65,535. */
const GROUPS_PER_STATEMENT = 1000;

/** The upper bound of a value's last range: past every day. */
const NO_END = Number.MAX_SAFE_INTEGER;

/** A bound integer: typed, because PostgreSQL reads an untyped parameter in VALUES as text. */
const int = (n: number): RawBuilder<number> => sql`cast(${n} as bigint)`;

export async function addRunningDeltas(db: AnalyticsDb, deltas: readonly RunningDelta[]): Promise<void> {
  // Per value, its days ascending: the ranges of step 2 and the last day of step 3.
  const byValue = new Map<string, RunningDelta[]>();
  for (const d of deltas) {
    const id = `${d.workspace_id}\u0000${d.dim}\u0000${d.value}`;
    const list = byValue.get(id);
    if (list) list.push(d);
    else byValue.set(id, [d]);
  }
  const groups = [...byValue.values()].map((days) => days.sort((a, b) => a.day - b.day));
  for (let i = 0; i < groups.length; i += GROUPS_PER_STATEMENT) {
    const chunk = groups.slice(i, i + GROUPS_PER_STATEMENT);
    const rows = chunk.flat();

    const missing = rows.map((d) => sql`(${d.workspace_id}, ${d.dim}, ${d.value}, ${int(d.day)})`);
    // `where true`: SQLite otherwise reads ON CONFLICT as part of the join.
    await sql`
      with d(ws, dim, value, day) as (values ${sql.join(missing)})
      insert into analytics_running (workspace_id, dim, value, day, clicks, visitors)
      select d.ws, d.dim, d.value, d.day, coalesce(p.clicks, 0), coalesce(p.visitors, 0)
      from d left join analytics_running p
        on p.workspace_id = d.ws and p.dim = d.dim and p.value = d.value
        and p.day = (select max(x.day) from analytics_running x where x.workspace_id = d.ws and x.dim = d.dim and x.value = d.value and x.day < d.day)
      where true
      on conflict (workspace_id, dim, value, day) do nothing`.execute(db);

    const ranges: RawBuilder<unknown>[] = [];
    for (const days of chunk) {
      let clicks = 0;
      let visitors = 0;
      days.forEach((d, j) => {
        clicks += d.clicks;
        visitors += d.visitors;
        const end = days[j + 1]?.day ?? NO_END;
        ranges.push(sql`(${d.workspace_id}, ${d.dim}, ${d.value}, ${int(d.day)}, ${int(end)}, ${int(clicks)}, ${int(visitors)})`);
      });
    }
    await sql`
      with d(ws, dim, value, lo, hi, clicks, visitors) as (values ${sql.join(ranges)})
      update analytics_running
      set clicks = analytics_running.clicks + d.clicks, visitors = analytics_running.visitors + d.visitors
      from d
      where analytics_running.workspace_id = d.ws and analytics_running.dim = d.dim and analytics_running.value = d.value
        and analytics_running.day >= d.lo and analytics_running.day < d.hi`.execute(db);

    await db
      .insertInto('analytics_values')
      .values(chunk.map((days) => {
        const last = days[days.length - 1] as RunningDelta;
        return { workspace_id: last.workspace_id, dim: last.dim, value: last.value, last_day: last.day };
      }))
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'dim', 'value']).doUpdateSet({
          last_day: sql`case when excluded.last_day > analytics_values.last_day then excluded.last_day else analytics_values.last_day end`,
        }),
      )
      .execute();
  }
}
