import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Alert rules and alerts (src/domain/rules), in their own file so the
// migrations array stays readable. Conventions as in sql/database.ts.

export const sqliteRulesMigration: Migration = {
  name: '0003_rules_alerts',
  async up(tx) {
    const statements = [
      `create table rules (
        id text primary key,
        workspace_id text not null references workspaces(id),
        name text not null,
        scope text not null,
        trigger_spec text not null,
        trigger_type text not null,
        endpoint_ids text not null,
        escalation_endpoint_ids text not null,
        owner_name text not null,
        owner_contact text,
        action text not null,
        severity text not null,
        class text not null,
        cooldown_ms integer not null,
        response_time_ms integer,
        include_bots integer not null,
        enabled integer not null,
        next_eval_at integer not null,
        created_at integer not null,
        updated_at integer not null
      ) strict`,
      `create index rules_workspace on rules(workspace_id, id)`,
      // The evaluator's claim: enabled rules in due order.
      `create index rules_due on rules(next_eval_at) where enabled = 1`,
      `create table alerts (
        id text primary key,
        workspace_id text not null references workspaces(id),
        rule_id text not null,
        fingerprint text not null,
        subject text not null,
        link_id text,
        status text not null,
        severity text not null,
        summary text not null,
        metric text,
        value real,
        threshold real,
        window_spec text,
        details text not null,
        is_drill integer not null,
        triggered_at integer not null,
        updated_at integer not null,
        resolved_at integer,
        acknowledged_at integer,
        acknowledged_by text,
        snoozed_until integer,
        escalated_at integer,
        last_notified_at integer,
        clear_streak integer not null
      ) strict`,
      `create index alerts_workspace on alerts(workspace_id, id)`,
      `create index alerts_rule_status on alerts(rule_id, status)`,
      `create index alerts_fingerprint on alerts(fingerprint, last_notified_at)`,
      // One open alert per fingerprint, whatever a racing evaluator does.
      `create unique index alerts_open_fingerprint on alerts(fingerprint) where status = 'triggered' and is_drill = 0`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
