import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

/**
 * Daily analytics rollups (sql/analytics-rollup.ts): per workspace, UTC day,
 * dimension and value, the human non-test clicks and exact distinct visitors.
 * Rebuildable from raw clicks at any time (resetRollups). Ids are COLLATE "C"
 * like every id column (postgres-migrations.ts): the cursor compares with <.
 */
export const postgresAnalyticsMigration: Migration = {
  name: '0006_analytics',
  up: async (tx) => {
    await sql`create table analytics_daily (
      workspace_id text collate "C" not null,
      dim text not null,
      day bigint not null,
      value text not null,
      clicks bigint not null,
      visitors bigint not null,
      primary key (workspace_id, dim, day, value)
    )`.execute(tx);
    // One link's series (dim 'link', value = its id): a seek to its ~30 rows
    // instead of scanning 30 days x 2,000 links of the primary key.
    await sql`create index analytics_daily_value on analytics_daily(workspace_id, dim, value, day)`.execute(tx);
    await sql`create table analytics_rollup_state (
      name text primary key,
      click_id text collate "C" not null,
      updated_at bigint not null
    )`.execute(tx);
    await sql`insert into analytics_rollup_state (name, click_id, updated_at) values ('clicks', '', 0)`.execute(tx);
  },
};
