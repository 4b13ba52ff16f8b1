import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Storm control windows (src/domain/rules/storm-control.ts) and the event
// trigger's cursor (rules.evaluated_until: the last committed evaluation, so
// every click falls in exactly one `event` window, across restarts).
// Conventions as in sql/database.ts.

export const sqliteAlertStormsMigration: Migration = {
  name: '0010_alert_storms',
  async up(tx) {
    const statements = [
      `alter table rules add column evaluated_until integer`,
      // One row per rule and kind of message (triggered / resolved): tiny, read by primary key.
      `create table alert_storms (
        rule_id text not null,
        kind text not null,
        workspace_id text not null references workspaces(id),
        window_start integer not null,
        window_end integer not null,
        notified integer not null,
        grouped_at integer,
        pending text not null,
        primary key (rule_id, kind)
      ) strict`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
