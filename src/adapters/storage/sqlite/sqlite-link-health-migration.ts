import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// The monitors' memory (src/domain/links/link-monitor.ts), in its own file so
// the migrations array stays readable. Both tables cascade with the link: a
// deleted link has nothing left to check or to notify about.

export const sqliteLinkHealthMigration: Migration = {
  name: '0005_link_health',
  async up(tx) {
    const statements = [
      `create table link_health (
        link_id text primary key references links(id) on delete cascade,
        workspace_id text not null,
        status text not null,
        consecutive_failures integer not null,
        failing_since integer,
        last_check text,
        next_check_at integer not null,
        updated_at integer not null
      ) strict`,
      `create index link_health_due on link_health(next_check_at)`,
      // One row per notice sent (link.expiring at 7d, link.expired, a
      // scheduled change...): the primary key is what makes them exactly-once.
      `create table link_notices (
        link_id text not null references links(id) on delete cascade,
        key text not null,
        workspace_id text not null,
        created_at integer not null,
        primary key (link_id, key)
      ) strict`,
      // The lifecycle sweep's scans.
      `create index links_expires_at on links(expires_at) where expires_at is not null`,
      `create index links_scheduled on links(id) where scheduled_changes <> '[]'`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
