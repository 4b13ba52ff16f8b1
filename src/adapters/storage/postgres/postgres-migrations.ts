import { sql } from 'kysely';
import type { Db } from '../sql/database.ts';
import type { Migration } from '../sql/sql-dialect.ts';
import { postgresAlertStormsMigration } from './postgres-alert-storms-migration.ts';
import { postgresAnalyticsMigration } from './postgres-analytics-migration.ts';
import { postgresAnalyticsRunningMigration } from './postgres-analytics-running-migration.ts';
import { postgresRulesMigration } from './postgres-rules-migration.ts';
import { postgresClickCountsMigration } from './postgres-click-counts-migration.ts';
import { postgresLinkHealthMigration } from './postgres-link-health-migration.ts';
import { postgresRateSlotsMigration } from './postgres-rate-slots-migration.ts';
import { postgresReportsMigration } from './postgres-reports-migration.ts';

// PostgreSQL DDL. Tables are created unqualified: the pool's search_path puts
// them in the configured schema. Times are BIGINT epoch ms, booleans BOOLEAN,
// JSON is JSONB (queryable by operators: metadata->>'crm_id'); see
// sql/database.ts for why.
//
// Ids are COLLATE "C": cursors compare ids with < and ORDER BY id, which must
// be byte order (ULIDs sort by time in bytes). Under a linguistic collation
// such as en_US the order of '_' and digits is not guaranteed to be that.

async function run(tx: Db, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(tx);
}

const ID = 'text collate "C"';

export const postgresMigrations: readonly Migration[] = [
  {
    name: '0001_foundation',
    up: (tx) =>
      run(tx, [
        `create table workspaces (
          id ${ID} primary key,
          slug text not null unique,
          name text not null,
          created_at bigint not null
        )`,
        `create table api_keys (
          id ${ID} primary key,
          workspace_id ${ID} not null references workspaces(id),
          name text not null,
          prefix text not null,
          hash text not null,
          scopes jsonb not null,
          created_at bigint not null,
          revoked_at bigint
        )`,
        `create unique index api_keys_hash on api_keys(hash)`,
        `create table links (
          id ${ID} primary key,
          workspace_id ${ID} not null references workspaces(id),
          domain_key text not null,
          slug text not null,
          url text not null,
          redirect_type smallint not null,
          title text,
          tags jsonb not null,
          campaign text,
          utm jsonb not null,
          priority text not null,
          owner text,
          expires_at bigint,
          expired_url text,
          scheduled_changes jsonb not null,
          is_test boolean not null,
          external_id text,
          metadata jsonb not null,
          created_at bigint not null,
          updated_at bigint not null
        )`,
        // The redirect lookup, and the guard that makes slug_taken race-free.
        `create unique index links_domain_slug on links(domain_key, slug)`,
        // Newest-first cursor pagination: WHERE workspace_id = $1 AND id < $2 ORDER BY id DESC.
        `create index links_workspace_id on links(workspace_id, id)`,
        `create index links_workspace_campaign on links(workspace_id, campaign, id)`,
        `create table link_tags (
          link_id ${ID} not null references links(id) on delete cascade,
          workspace_id ${ID} not null,
          tag text not null,
          primary key (link_id, tag)
        )`,
        `create index link_tags_workspace_tag on link_tags(workspace_id, tag, link_id)`,
        // No foreign key to links: a click batch must never fail because its
        // link was deleted a moment before the group commit (clicks are a log).
        `create table clicks (
          id ${ID} primary key,
          workspace_id ${ID} not null,
          link_id ${ID} not null,
          ts bigint not null,
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
          is_bot boolean not null,
          bot_reason text,
          country text,
          region text,
          city text,
          is_qr boolean not null,
          is_test boolean not null,
          visitor_hash text not null,
          ip text,
          utm jsonb not null
        )`,
        `create index clicks_link_id on clicks(link_id, id)`,
        `create index clicks_workspace_ts on clicks(workspace_id, ts)`,
        `create table domains (
          id ${ID} primary key,
          workspace_id ${ID} not null references workspaces(id),
          hostname text not null,
          status text not null,
          verification_token text not null,
          fallback_url text,
          last_check_message text,
          last_checked_at bigint,
          verified_at bigint,
          created_at bigint not null
        )`,
        `create unique index domains_hostname on domains(hostname)`,
        `create index domains_workspace on domains(workspace_id, id)`,
        `create table settings (
          key text primary key,
          value text not null
        )`,
      ]),
  },
  {
    // Events (the outbox), endpoints and the delivery queue with its attempt log.
    name: '0002_events_delivery',
    up: (tx) =>
      run(tx, [
        `create table events (
          id ${ID} primary key,
          workspace_id ${ID} not null references workspaces(id),
          type text not null,
          ts bigint not null,
          payload json not null
        )`,
        `create index events_workspace on events(workspace_id, id)`,
        `create index events_workspace_type on events(workspace_id, type, id)`,
        `create table endpoints (
          id ${ID} primary key,
          workspace_id ${ID} not null references workspaces(id),
          kind text not null,
          name text,
          url text,
          settings json not null,
          events json not null,
          filter json not null,
          class text not null,
          owner text,
          rate_limit_per_second double precision,
          enabled boolean not null,
          disabled_reason text,
          disabled_at bigint,
          failing_since bigint,
          next_probe_at bigint,
          secrets json not null,
          created_at bigint not null,
          updated_at bigint not null
        )`,
        `create index endpoints_workspace on endpoints(workspace_id, id)`,
        // The prober's scan: only endpoints disabled for failing.
        `create index endpoints_probe on endpoints(next_probe_at) where disabled_reason = 'failing'`,
        `create table endpoint_slots (
          endpoint_id ${ID} primary key references endpoints(id) on delete cascade,
          next_at bigint not null
        )`,
        `create table deliveries (
          id ${ID} primary key,
          event_id ${ID} not null references events(id),
          endpoint_id ${ID} not null references endpoints(id) on delete cascade,
          workspace_id ${ID} not null,
          event_type text not null,
          status text not null,
          attempts integer not null,
          retry_base integer not null,
          next_attempt_at bigint,
          lease_owner text,
          lease_expires_at bigint,
          rate_slot_at bigint,
          last_status integer,
          last_error text,
          last_error_class text,
          created_at bigint not null,
          updated_at bigint not null,
          completed_at bigint
        )`,
        `create unique index deliveries_event_endpoint on deliveries(event_id, endpoint_id)`,
        // The claim: due rows in due order. Partial, so finished rows (the
        // vast majority after a while) cost the queue nothing.
        `create index deliveries_due on deliveries(next_attempt_at) where status in ('pending', 'retrying', 'delivering')`,
        `create index deliveries_workspace on deliveries(workspace_id, id)`,
        `create index deliveries_endpoint on deliveries(endpoint_id, status, created_at)`,
        `create index deliveries_lease_owner on deliveries(lease_owner) where lease_owner is not null`,
        `create table delivery_attempts (
          delivery_id ${ID} not null references deliveries(id) on delete cascade,
          n integer not null,
          at bigint not null,
          request json,
          response json,
          duration_ms integer not null,
          error_class text,
          error text,
          primary key (delivery_id, n)
        )`,
        `create table destination_state (
          endpoint_id ${ID} not null references endpoints(id) on delete cascade,
          key text not null,
          value text not null,
          primary key (endpoint_id, key)
        )`,
        `create table idempotency_keys (
          workspace_id ${ID} not null,
          key text not null,
          fingerprint text not null,
          response_status integer not null,
          response_body text not null,
          created_at bigint not null,
          expires_at bigint not null,
          primary key (workspace_id, key)
        )`,
        `create index idempotency_keys_expiry on idempotency_keys(expires_at)`,
      ]),
  },
  // In name order: a database is migrated in this order, whatever order the work landed in.
  postgresRulesMigration,
  postgresClickCountsMigration,
  postgresLinkHealthMigration,
  postgresAnalyticsMigration,
  postgresReportsMigration,
  postgresAnalyticsRunningMigration,
  postgresAlertStormsMigration,
  postgresRateSlotsMigration,
];
