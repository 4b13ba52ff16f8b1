import { sql } from 'kysely';
import type { Db } from '../sql/database.ts';
import type { Migration } from '../sql/sql-dialect.ts';

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
];
