import { sql } from 'kysely';
import type { AnalyticsDb } from './analytics-sql.ts';
import type { SqlDialect } from './sql-dialect.ts';

// Reads of the running totals (analytics_running, see analytics-running-write.ts).
// A value's count over [from, to) is its last row before `to` minus its last
// row before `from`: two index seeks whatever the range's length. Measured on
// 2,000 links x 90 days (bench/analytics-shapes.ts, BENCHMARKS.md): a top 10
// links takes ~11 ms over 30 days and ~10 ms over 90, against ~14 and ~45 ms
// summing the daily rows this replaced.

export interface RunningCount {
  value: string;
  clicks: number;
  visitors: number;
}

/**
 * Per value of a dimension (or one value), the clicks and visitors in
 * [fromMs, toMs), UTC midnights; values without clicks in the range are
 * absent. Walks the values whose last day is at or after `from`, so links
 * silent for longer cost nothing.
 */
export async function rangeTotals(db: AnalyticsDb, dialect: SqlDialect, workspaceId: string, dim: string, fromMs: number, toMs: number, value?: string): Promise<RunningCount[]> {
  const one = value === undefined ? sql`` : sql`and v.value = ${value}`;
  // The same two seeks per value, said the way each planner keeps them seeks:
  // PostgreSQL planned the join form as a hash join over a sequential scan of
  // every running row (317 ms on 180,000 rows against 2,000 values), so it
  // gets LATERAL, which SQLite does not have; SQLite plans the join as
  // primary-key lookups (EXPLAIN QUERY PLAN: SEARCH ... USING PRIMARY KEY).
  const last = (before: number) =>
    sql`select r.clicks, r.visitors from analytics_running r
      where r.workspace_id = v.workspace_id and r.dim = v.dim and r.value = v.value and r.day < ${before}
      order by r.day desc limit 1`;
  const query =
    dialect.name === 'postgres'
      ? sql<{ value: string; n: number | string; u: number | string }>`
          select value, n, u from (
            select v.value as value, a.clicks - coalesce(b.clicks, 0) as n, a.visitors - coalesce(b.visitors, 0) as u
            from analytics_values v
            cross join lateral (${last(toMs)}) a
            left join lateral (${last(fromMs)}) b on true
            where v.workspace_id = ${workspaceId} and v.dim = ${dim} and v.last_day >= ${fromMs} ${one}
          ) t
          where n > 0`
      : sql<{ value: string; n: number | string; u: number | string }>`
          select value, n, u from (
            select v.value as value, a.clicks - coalesce(b.clicks, 0) as n, a.visitors - coalesce(b.visitors, 0) as u
            from analytics_values v
            join analytics_running a
              on a.workspace_id = v.workspace_id and a.dim = v.dim and a.value = v.value
              and a.day = (select max(x.day) from analytics_running x where x.workspace_id = v.workspace_id and x.dim = v.dim and x.value = v.value and x.day < ${toMs})
            left join analytics_running b
              on b.workspace_id = v.workspace_id and b.dim = v.dim and b.value = v.value
              and b.day = (select max(y.day) from analytics_running y where y.workspace_id = v.workspace_id and y.dim = v.dim and y.value = v.value and y.day < ${fromMs})
            where v.workspace_id = ${workspaceId} and v.dim = ${dim} and v.last_day >= ${fromMs} ${one}
          ) t
          where n > 0`;
  const rows = await query.execute(db);
  return rows.rows.map((r) => ({ value: r.value, clicks: Number(r.n), visitors: Number(r.u) }));
}

export interface DayCount {
  day: number;
  clicks: number;
  visitors: number;
}

/**
 * One value's clicks and visitors per UTC day in [fromMs, toMs) (days without
 * clicks absent): its rows in the range, each minus the row before it.
 */
export async function dailyCounts(db: AnalyticsDb, workspaceId: string, dim: string, value: string, fromMs: number, toMs: number): Promise<DayCount[]> {
  const rows = await sql<{ day: number | string; clicks: number | string; visitors: number | string }>`
    select day, clicks, visitors from analytics_running
    where workspace_id = ${workspaceId} and dim = ${dim} and value = ${value} and day < ${toMs}
      and day >= coalesce((select max(p.day) from analytics_running p where p.workspace_id = ${workspaceId} and p.dim = ${dim} and p.value = ${value} and p.day < ${fromMs}), ${fromMs})
    order by day`.execute(db);
  const out: DayCount[] = [];
  let clicks = 0;
  let visitors = 0;
  for (const r of rows.rows) {
    const day = Number(r.day);
    const c = Number(r.clicks);
    const v = Number(r.visitors);
    if (day >= fromMs) out.push({ day, clicks: c - clicks, visitors: v - visitors });
    clicks = c;
    visitors = v;
  }
  return out;
}
