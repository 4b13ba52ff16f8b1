import type { ColumnType, Kysely } from 'kysely';
import type { ReportSchedulesTable } from './report-repo.ts';
import type { AlertStormsTable } from './rule-storm-rows.ts';

// The table types both dialects share. Kysely compiles the same query code to
// either dialect; only the DDL (in each dialect's migrations) differs.
//
// Conventions, chosen so one query works on both engines:
// - Times are epoch milliseconds (INTEGER on SQLite, BIGINT on PostgreSQL).
//   They sort and compare as numbers, and the PostgreSQL pool parses int8 to
//   a JS number (epoch ms stay below 2^53 until the year 287,396).
// - Booleans are 0/1 on SQLite (better-sqlite3 cannot bind a JS boolean) and
//   BOOLEAN on PostgreSQL; SqlDialect.bool() encodes, Boolean() decodes.
// - JSON is TEXT on SQLite and JSONB on PostgreSQL: we always write a JSON
//   string; reading gives a string (SQLite) or a parsed value (pg), which
//   parseJson() accepts both of.
// - The default domain is '' in `domain_key`, never NULL: NULLs are distinct
//   in a unique index, so UNIQUE(domain_key, slug) would not protect it.

export type SqlBool = number | boolean;
type Json = ColumnType<unknown, string, string>;

export interface WorkspacesTable {
  id: string;
  slug: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: Json;
  created_at: number;
  revoked_at: number | null;
}

export interface LinksTable {
  id: string;
  workspace_id: string;
  domain_key: string;
  slug: string;
  url: string;
  redirect_type: number;
  title: string | null;
  /** Denormalised copy of link_tags, so reading a link is one row (link_tags is for filtering). */
  tags: Json;
  campaign: string | null;
  utm: Json;
  priority: string;
  owner: string | null;
  expires_at: number | null;
  expired_url: string | null;
  scheduled_changes: Json;
  is_test: SqlBool;
  external_id: string | null;
  metadata: Json;
  created_at: number;
  updated_at: number;
}

export interface LinkTagsTable {
  link_id: string;
  workspace_id: string;
  tag: string;
}

export interface ClicksTable {
  id: string;
  workspace_id: string;
  link_id: string;
  ts: number;
  domain_key: string;
  slug: string;
  method: string;
  referrer: string | null;
  referrer_domain: string | null;
  user_agent: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  device_type: string;
  is_bot: SqlBool;
  bot_reason: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  is_qr: SqlBool;
  is_test: SqlBool;
  visitor_hash: string;
  ip: string | null;
  utm: Json;
}

export interface DomainsTable {
  id: string;
  workspace_id: string;
  hostname: string;
  status: string;
  verification_token: string;
  fallback_url: string | null;
  last_check_message: string | null;
  last_checked_at: number | null;
  verified_at: number | null;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface EventsTable {
  id: string;
  workspace_id: string;
  type: string;
  ts: number;
  /** The whole envelope as emitted (JSON on PostgreSQL, not JSONB: key order survives, so the body reads as written). */
  payload: Json;
}

export interface EndpointsTable {
  id: string;
  workspace_id: string;
  kind: string;
  name: string | null;
  url: string | null;
  settings: Json;
  events: Json;
  filter: Json;
  class: string;
  owner: string | null;
  rate_limit_per_second: number | null;
  enabled: SqlBool;
  disabled_reason: string | null;
  disabled_at: number | null;
  failing_since: number | null;
  /** When the prober next tries a disabled-for-failing endpoint. */
  next_probe_at: number | null;
  secrets: Json;
  created_at: number;
  updated_at: number;
}

export interface RateSlotsTable {
  /** rateLimitKey(): an endpoint id, or `slack:<hash of the webhook URL>`. */
  slot_key: string;
  /** Epoch ms at which the next rate-limit slot starts. */
  next_at: number;
}

export interface DeliveriesTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  workspace_id: string;
  event_type: string;
  status: string;
  attempts: number;
  retry_base: number;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  rate_slot_at: number | null;
  last_status: number | null;
  last_error: string | null;
  last_error_class: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface DeliveryAttemptsTable {
  delivery_id: string;
  n: number;
  at: number;
  request: ColumnType<unknown, string | null, string | null>;
  response: ColumnType<unknown, string | null, string | null>;
  duration_ms: number;
  error_class: string | null;
  error: string | null;
}

export interface DestinationStateTable {
  endpoint_id: string;
  key: string;
  value: string;
}

export interface IdempotencyKeysTable {
  workspace_id: string;
  key: string;
  fingerprint: string;
  response_status: number;
  response_body: string;
  created_at: number;
  expires_at: number;
}

export interface LinkHealthTable {
  link_id: string;
  workspace_id: string;
  status: string;
  consecutive_failures: number;
  failing_since: number | null;
  last_check: ColumnType<unknown, string | null, string | null>;
  next_check_at: number;
  updated_at: number;
}

export interface LinkNoticesTable {
  link_id: string;
  key: string;
  workspace_id: string;
  created_at: number;
}

export interface RulesTable {
  id: string;
  workspace_id: string;
  name: string;
  scope: Json;
  trigger_spec: Json;
  /** Copied out of trigger_spec so the claim filters by type without reading JSON. */
  trigger_type: string;
  endpoint_ids: Json;
  escalation_endpoint_ids: Json;
  owner_name: string;
  owner_contact: string | null;
  action: string;
  severity: string;
  class: string;
  cooldown_ms: number;
  response_time_ms: number | null;
  include_bots: SqlBool;
  enabled: SqlBool;
  /** When the rule is next due for evaluation; holds the lease expiry while one runs. */
  next_eval_at: number;
  /** The last committed evaluation (Rule.evaluatedUntil); null before the first. Migration 0010. */
  evaluated_until: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: number;
  updated_at: number;
}

export interface AlertsTable {
  id: string;
  workspace_id: string;
  rule_id: string;
  fingerprint: string;
  subject: string;
  link_id: string | null;
  status: string;
  severity: string;
  summary: string;
  metric: string | null;
  value: number | null;
  threshold: number | null;
  window_spec: string | null;
  details: Json;
  is_drill: SqlBool;
  triggered_at: number;
  updated_at: number;
  resolved_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  snoozed_until: number | null;
  escalated_at: number | null;
  last_notified_at: number | null;
  clear_streak: number;
}

export interface MigrationsTable {
  name: string;
  applied_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  links: LinksTable;
  link_tags: LinkTagsTable;
  clicks: ClicksTable;
  domains: DomainsTable;
  settings: SettingsTable;
  migrations: MigrationsTable;
  events: EventsTable;
  endpoints: EndpointsTable;
  rate_slots: RateSlotsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  destination_state: DestinationStateTable;
  idempotency_keys: IdempotencyKeysTable;
  rules: RulesTable;
  alerts: AlertsTable;
  link_health: LinkHealthTable;
  link_notices: LinkNoticesTable;
  report_schedules: ReportSchedulesTable;
  alert_storms: AlertStormsTable;
}

export type Db = Kysely<Database>;
