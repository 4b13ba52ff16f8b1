import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// The monitors' memory (src/domain/links/link-monitor.ts), in its own file so
// the migrations array stays readable. Both tables cascade with the link: a
// deleted link has nothing left to check or to notify about.

const ID = 'text collate "C"';

export const postgresLinkHealthMigration: Migration = {
  name: '0005_link_health',
  async up(tx) {
    const statements = [
      `create table link_health (
        link_id ${ID} primary key references links(id) on delete cascade,
        workspace_id ${ID} not null,
        status text not null,
        consecutive_failures integer not null,
        failing_since bigint,
        last_check jsonb,
        next_check_at bigint not null,
        updated_at bigint not null
      )`,
      `create index link_health_due on link_health(next_check_at)`,
      // One row per notice sent (link.expiring at 7d, link.expired, a
      // scheduled change...): the primary key is what makes them exactly-once.
      `create table link_notices (
        link_id ${ID} not null references links(id) on delete cascade,
        key text not null,
        workspace_id ${ID} not null,
        created_at bigint not null,
        primary key (link_id, key)
      )`,
      // The lifecycle sweep's scans.
      `create index links_expires_at on links(expires_at) where expires_at is not null`,
      `create index links_scheduled on links(id) where scheduled_changes <> '[]'::jsonb`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
