import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Ids are COLLATE "C" for byte-order cursors, as in postgres-migrations.ts.
const ID = 'text collate "C"';

// Report schedules (src/domain/reports), in their own file so the migrations
// array stays readable. Conventions as in sql/database.ts.

export const postgresReportsMigration: Migration = {
  name: '0007_reports',
  async up(tx) {
    const statements = [
      `create table report_schedules (
        id ${ID} primary key,
        workspace_id ${ID} not null references workspaces(id),
        name text not null,
        cron text not null,
        timezone text not null,
        scope jsonb not null,
        endpoint_ids jsonb not null,
        owner text,
        enabled boolean not null,
        next_run_at bigint not null,
        last_run_at bigint,
        created_at bigint not null,
        updated_at bigint not null
      )`,
      // The scheduler's claim: due enabled schedules in due order.
      `create index report_schedules_due on report_schedules(next_run_at) where enabled`,
      `create index report_schedules_workspace on report_schedules(workspace_id, id)`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
