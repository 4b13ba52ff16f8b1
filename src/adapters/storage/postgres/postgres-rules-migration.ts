import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Ids are COLLATE "C" for byte-order cursors, as in postgres-migrations.ts.
const ID = 'text collate "C"';

// Alert rules and alerts (src/domain/rules), in their own file so the
// migrations array stays readable. Conventions as in sql/database.ts.

export const postgresRulesMigration: Migration = {
  name: '0003_rules_alerts',
  async up(tx) {
    const statements = [
      `create table rules (
        id ${ID} primary key,
        workspace_id ${ID} not null references workspaces(id),
        name text not null,
        scope json not null,
        trigger_spec json not null,
        trigger_type text not null,
        endpoint_ids json not null,
        escalation_endpoint_ids json not null,
        owner_name text not null,
        owner_contact text,
        action text not null,
        severity text not null,
        class text not null,
        cooldown_ms bigint not null,
        response_time_ms bigint,
        include_bots boolean not null,
        enabled boolean not null,
        next_eval_at bigint not null,
        created_at bigint not null,
        updated_at bigint not null
      )`,
      `create index rules_workspace on rules(workspace_id, id)`,
      // The evaluator's claim: enabled rules in due order.
      `create index rules_due on rules(next_eval_at) where enabled`,
      `create table alerts (
        id ${ID} primary key,
        workspace_id ${ID} not null references workspaces(id),
        rule_id ${ID} not null,
        fingerprint text not null,
        subject text not null,
        link_id text,
        status text not null,
        severity text not null,
        summary text not null,
        metric text,
        value double precision,
        threshold double precision,
        window_spec text,
        details json not null,
        is_drill boolean not null,
        triggered_at bigint not null,
        updated_at bigint not null,
        resolved_at bigint,
        acknowledged_at bigint,
        acknowledged_by text,
        snoozed_until bigint,
        escalated_at bigint,
        last_notified_at bigint,
        clear_streak integer not null
      )`,
      `create index alerts_workspace on alerts(workspace_id, id)`,
      `create index alerts_rule_status on alerts(rule_id, status)`,
      `create index alerts_fingerprint on alerts(fingerprint, last_notified_at)`,
      // One open alert per fingerprint, whatever a racing evaluator does.
      `create unique index alerts_open_fingerprint on alerts(fingerprint) where status = 'triggered' and not is_drill`,
    ];
    for (const s of statements) await sql.raw(s).execute(tx);
  },
};
