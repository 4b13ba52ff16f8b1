import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Ids are COLLATE "C" for byte-order cursors, as in postgres-migrations.ts.
const ID = 'text collate "C"';

// Storm control windows (src/domain/rules/storm-control.ts) and the event
// trigger's cursor (rules.evaluated_until: the last committed evaluation, so
// every click falls in exactly one `event` window, across restarts).
// Conventions as in sql/database.ts.

export const postgresAlertStormsMigration: Migration = {
  name: '0010_alert_storms',
  async up(tx) {
    const statements = [
      `alter table rules add column evaluated_until bigint`,
      // One row per rule and kind of message (triggered / resolved): tiny, read by primary key.
      `create table alert_storms (
        rule_id ${ID} not null,
        kind text not null,
        workspace_id ${ID} not null references workspaces(id),
        window_start bigint not null,
        window_end bigint not null,
        notified integer not null,
        grouped_at bigint,
        pending jsonb not null,
        primary key (rule_id, kind)
      )`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
