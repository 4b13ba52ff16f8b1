import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

/**
 * Running totals replace the daily rollups (sql/analytics-running-write.ts):
 * per workspace, dimension, value and UTC day with clicks, the clicks and
 * visitors from the first click up to the end of that day, so any range is
 * two lookups per value (BENCHMARKS.md: a 30-day top 10 of 2,000 links went
 * from summing ~60,000 daily rows to ~4,000 seeks). analytics_values lists
 * each value's last day so a range query skips values silent since before
 * it. The lease columns let one rollup worker of several fold at a time.
 * The cursor is rewound: the worker rebuilds from raw clicks in the
 * background and queries read raw clicks until it has.
 */
export const sqliteAnalyticsRunningMigration: Migration = {
  name: '0009_analytics_running',
  up: async (tx) => {
    await sql`drop table analytics_daily`.execute(tx);
    await sql`create table analytics_running (
      workspace_id text not null,
      dim text not null,
      value text not null,
      day integer not null,
      clicks integer not null,
      visitors integer not null,
      primary key (workspace_id, dim, value, day)
    ) strict, without rowid`.execute(tx);
    await sql`create table analytics_values (
      workspace_id text not null,
      dim text not null,
      value text not null,
      last_day integer not null,
      primary key (workspace_id, dim, value)
    ) strict, without rowid`.execute(tx);
    await sql`create index analytics_values_last_day on analytics_values(workspace_id, dim, last_day)`.execute(tx);
    await sql`alter table analytics_rollup_state add column lease_owner text`.execute(tx);
    await sql`alter table analytics_rollup_state add column lease_expires_at integer`.execute(tx);
    await sql`update analytics_rollup_state set click_id = ''`.execute(tx);
  },
};
