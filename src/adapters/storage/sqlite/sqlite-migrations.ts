import { sql } from 'kysely';
import type { Db } from '../sql/database.ts';
import type { Migration } from '../sql/sql-dialect.ts';

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
];
