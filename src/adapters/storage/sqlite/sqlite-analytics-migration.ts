import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

/**
 * Daily analytics rollups (sql/analytics-rollup.ts): per workspace, UTC day,
 * dimension and value, the human non-test clicks and exact distinct visitors.
 * Rebuildable from raw clicks at any time (resetRollups), so nothing here is
 * a source of truth. The key order serves the only read: one workspace, one
 * dimension, a range of days, every value.
 */
export const sqliteAnalyticsMigration: Migration = {
  name: '0006_analytics',
  up: async (tx) => {
    await sql`create table analytics_daily (
      workspace_id text not null,
      dim text not null,
      day integer not null,
      value text not null,
      clicks integer not null,
      visitors integer not null,
      primary key (workspace_id, dim, day, value)
    ) strict, without rowid`.execute(tx);
    // One link's series (dim 'link', value = its id): a seek to its ~30 rows
    // instead of scanning 30 days x 2,000 links of the primary key.
    await sql`create index analytics_daily_value on analytics_daily(workspace_id, dim, value, day)`.execute(tx);
    // The id of the last click folded in; '' before the first.
    await sql`create table analytics_rollup_state (
      name text primary key,
      click_id text not null,
      updated_at integer not null
    ) strict`.execute(tx);
    await sql`insert into analytics_rollup_state (name, click_id, updated_at) values ('clicks', '', 0)`.execute(tx);
  },
};
