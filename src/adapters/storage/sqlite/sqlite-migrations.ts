import { sql } from 'kysely';
import type { Db } from '../sql/database.ts';
import type { Migration } from '../sql/sql-dialect.ts';
import { sqliteAlertStormsMigration } from './sqlite-alert-storms-migration.ts';
import { sqliteAnalyticsMigration } from './sqlite-analytics-migration.ts';
import { sqliteAnalyticsRunningMigration } from './sqlite-analytics-running-migration.ts';
import { sqliteRulesMigration } from './sqlite-rules-migration.ts';
import { sqliteClickCountsMigration } from './sqlite-click-counts-migration.ts';
import { sqliteLinkHealthMigration } from './sqlite-link-health-migration.ts';
import { sqliteRateSlotsMigration } from './sqlite-rate-slots-migration.ts';
import { sqliteReportsMigration } from './sqlite-reports-migration.ts';

// SQLite DDL. STRICT tables (SQLite >= 3.37) reject a value of the wrong type
// instead of storing it silently. Times are INTEGER epoch ms, booleans 0/1,
// JSON is TEXT; see sql/database.ts for why.

async function run(tx: Db, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(tx);
}

export const sqliteMigrations: readonly Migration[] = [
  {
    name: '0001_foundation',
    up: (tx) =>
      run(tx, [
        `create table workspaces (
          id text primary key,
          slug text not null unique,
          name text not null,
          created_at integer not null
        ) strict`,
        `create table api_keys (
          id text primary key,
          workspace_id text not null references workspaces(id),
          name text not null,
          prefix text not null,
          hash text not null,
          scopes text not null,
          created_at integer not null,
          revoked_at integer
        ) strict`,
        `create unique index api_keys_hash on api_keys(hash)`,
        `create table links (
          id text primary key,
          workspace_id text not null references workspaces(id),
          domain_key text not null,
          slug text not null,
          url text not null,
          redirect_type integer not null,
          title text,
          tags text not null,
          campaign text,
          utm text not null,
          priority text not null,
          owner text,
          expires_at integer,
          expired_url text,
          scheduled_changes text not null,
          is_test integer not null,
          external_id text,
          metadata text not null,
          created_at integer not null,
          updated_at integer not null
        ) strict`,
        // The redirect lookup, and the guard that makes slug_taken race-free.
        `create unique index links_domain_slug on links(domain_key, slug)`,
        // Newest-first cursor pagination: WHERE workspace_id = ? AND id < ? ORDER BY id DESC.
        `create index links_workspace_id on links(workspace_id, id)`,
        `create index links_workspace_campaign on links(workspace_id, campaign, id)`,
        `create table link_tags (
          link_id text not null references links(id) on delete cascade,
          workspace_id text not null,
          tag text not null,
          primary key (link_id, tag)
        ) strict`,
        `create index link_tags_workspace_tag on link_tags(workspace_id, tag, link_id)`,
        // No foreign key to links: a click batch must never fail because its
        // link was deleted a moment before the group commit (clicks are a log).
        `create table clicks (
          id text primary key,
          workspace_id text not null,
          link_id text not null,
          ts integer not null,
          domain_key text not null,
          slug text not null,
          method text not null,
          referrer text,
          referrer_domain text,
          user_agent text,
          browser text,
          browser_version text,
          os text,
          device_type text not null,
          is_bot integer not null,
          bot_reason text,
          country text,
          region text,
          city text,
          is_qr integer not null,
          is_test integer not null,
          visitor_hash text not null,
          ip text,
          utm text not null
        ) strict`,
        `create index clicks_link_id on clicks(link_id, id)`,
        `create index clicks_workspace_ts on clicks(workspace_id, ts)`,
        `create table domains (
          id text primary key,
          workspace_id text not null references workspaces(id),
          hostname text not null,
          status text not null,
          verification_token text not null,
          fallback_url text,
          last_check_message text,
          last_checked_at integer,
          verified_at integer,
          created_at integer not null
        ) strict`,
        `create unique index domains_hostname on domains(hostname)`,
        `create index domains_workspace on domains(workspace_id, id)`,
        `create table settings (
          key text primary key,
          value text not null
        ) strict`,
      ]),
  },
  {
    // Events (the outbox), endpoints and the delivery queue with its attempt log.
    name: '0002_events_delivery',
    up: (tx) =>
      run(tx, [
        `create table events (
          id text primary key,
          workspace_id text not null references workspaces(id),
          type text not null,
          ts integer not null,
          payload text not null
        ) strict`,
        `create index events_workspace on events(workspace_id, id)`,
        `create index events_workspace_type on events(workspace_id, type, id)`,
        `create table endpoints (
          id text primary key,
          workspace_id text not null references workspaces(id),
          kind text not null,
          name text,
          url text,
          settings text not null,
          events text not null,
          filter text not null,
          class text not null,
          owner text,
          rate_limit_per_second real,
          enabled integer not null,
          disabled_reason text,
          disabled_at integer,
          failing_since integer,
          next_probe_at integer,
          secrets text not null,
          created_at integer not null,
          updated_at integer not null
        ) strict`,
        `create index endpoints_workspace on endpoints(workspace_id, id)`,
        // The prober's scan: only endpoints disabled for failing.
        `create index endpoints_probe on endpoints(next_probe_at) where disabled_reason = 'failing'`,
        `create table endpoint_slots (
          endpoint_id text primary key references endpoints(id) on delete cascade,
          next_at integer not null
        ) strict`,
        `create table deliveries (
          id text primary key,
          event_id text not null references events(id),
          endpoint_id text not null references endpoints(id) on delete cascade,
          workspace_id text not null,
          event_type text not null,
          status text not null,
          attempts integer not null,
          retry_base integer not null,
          next_attempt_at integer,
          lease_owner text,
          lease_expires_at integer,
          rate_slot_at integer,
          last_status integer,
          last_error text,
          last_error_class text,
          created_at integer not null,
          updated_at integer not null,
          completed_at integer
        ) strict`,
        `create unique index deliveries_event_endpoint on deliveries(event_id, endpoint_id)`,
        // The claim: due rows in due order. Partial, so finished rows (the
        // vast majority after a while) cost the queue nothing.
        `create index deliveries_due on deliveries(next_attempt_at) where status in ('pending', 'retrying', 'delivering')`,
        `create index deliveries_workspace on deliveries(workspace_id, id)`,
        `create index deliveries_endpoint on deliveries(endpoint_id, status, created_at)`,
        `create index deliveries_lease_owner on deliveries(lease_owner) where lease_owner is not null`,
        `create table delivery_attempts (
          delivery_id text not null references deliveries(id) on delete cascade,
          n integer not null,
          at integer not null,
          request text,
          response text,
          duration_ms integer not null,
          error_class text,
          error text,
          primary key (delivery_id, n)
        ) strict`,
        `create table destination_state (
          endpoint_id text not null references endpoints(id) on delete cascade,
          key text not null,
          value text not null,
          primary key (endpoint_id, key)
        ) strict`,
        `create table idempotency_keys (
          workspace_id text not null,
          key text not null,
          fingerprint text not null,
          response_status integer not null,
          response_body text not null,
          created_at integer not null,
          expires_at integer not null,
          primary key (workspace_id, key)
        ) strict`,
        `create index idempotency_keys_expiry on idempotency_keys(expires_at)`,
      ]),
  },
  // In name order: a database is migrated in this order, whatever order the work landed in.
  sqliteRulesMigration,
  sqliteClickCountsMigration,
  sqliteLinkHealthMigration,
  sqliteAnalyticsMigration,
  sqliteReportsMigration,
  sqliteAnalyticsRunningMigration,
  sqliteAlertStormsMigration,
  sqliteRateSlotsMigration,
];
