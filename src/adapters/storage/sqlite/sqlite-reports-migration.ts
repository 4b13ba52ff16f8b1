import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Report schedules (src/domain/reports), in their own file so the migrations
// array stays readable. Conventions as in sql/database.ts: epoch ms, JSON as
// text, booleans 0/1.

export const sqliteReportsMigration: Migration = {
  name: '0007_reports',
  async up(tx) {
    const statements = [
      `create table report_schedules (
        id text primary key,
        workspace_id text not null references workspaces(id),
        name text not null,
        cron text not null,
        timezone text not null,
        scope text not null,
        endpoint_ids text not null,
        owner text,
        enabled integer not null,
        next_run_at integer not null,
        last_run_at integer,
        created_at integer not null,
        updated_at integer not null
      ) strict`,
      // The scheduler's claim: due enabled schedules in due order.
      `create index report_schedules_due on report_schedules(next_run_at) where enabled = 1`,
      `create index report_schedules_workspace on report_schedules(workspace_id, id)`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
