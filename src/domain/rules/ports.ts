// The storage ports of alert rules and alerts. They join the `Repos` of
// src/domain/ports.ts, so both are usable inside storage.transaction().
import type { Page, PageRequest } from '../ports.ts';
import type { Alert, AlertStatus, AlertStorm, Rule, TriggerType } from './rule.ts';

export interface RuleClaim {
  /** ISO now: rules whose next evaluation is due at or before it. */
  now: string;
  /**
   * The claimed rules' next evaluation moves here (ISO) in the same
   * statement: another worker skips them until then, and a worker that dies
   * mid-evaluation only delays the rule until the lease runs out.
   */
  leaseUntil: string;
  /** Only rules with these trigger types (the ones this process has an evaluator for). */
  types: readonly TriggerType[];
  limit: number;
}

export interface RuleRepo {
  /** A new rule is due for evaluation at once. */
  insert(rule: Rule): Promise<void>;
  /** Full replace of the user-editable fields; leaves the evaluation schedule alone. */
  update(rule: Rule): Promise<void>;
  /** Deletes the rule; its alerts stay (history), their rule_id dangling on purpose. */
  delete(workspaceId: string, id: string): Promise<boolean>;
  getById(workspaceId: string, id: string): Promise<Rule | undefined>;
  /** Newest first. */
  list(workspaceId: string, page: PageRequest): Promise<Page<Rule>>;
  /**
   * Leases the enabled, due rules in one statement (PostgreSQL: FOR UPDATE
   * SKIP LOCKED), so several workers never evaluate one rule at once.
   */
  claimDue(claim: RuleClaim): Promise<Rule[]>;
  /** When the rule is next due (after an evaluation, or to run it now). */
  scheduleNext(id: string, at: string): Promise<void>;
  /** Records the rule's last committed evaluation time (Rule.evaluatedUntil); called inside the lifecycle's transaction. */
  markEvaluated(id: string, at: string): Promise<void>;
}

export interface AlertFilter {
  status?: AlertStatus;
  ruleId?: string;
  linkId?: string;
}

export interface AlertRepo {
  insert(alert: Alert): Promise<void>;
  /** Full replace of the row's mutable fields. */
  update(alert: Alert): Promise<void>;
  getById(workspaceId: string, id: string): Promise<Alert | undefined>;
  /** Newest first. */
  list(workspaceId: string, filter: AlertFilter, page: PageRequest): Promise<Page<Alert>>;
  /** The rule's alerts with status `triggered` (drills excluded), oldest first. */
  listOpen(ruleId: string): Promise<Alert[]>;
  /**
   * The latest notification time of any alert with one of these fingerprints
   * (fingerprint → ISO), for the cooldown across a resolve and a re-trigger.
   */
  lastNotified(fingerprints: readonly string[]): Promise<Map<string, string>>;
  /** Alerts by id, any status, in no particular order (unknown ids are absent). */
  getMany(workspaceId: string, ids: readonly string[]): Promise<Alert[]>;
  /** The rule's storm control state for one kind of message, if any. */
  getStorm(ruleId: string, kind: AlertStatus): Promise<AlertStorm | undefined>;
  /** Insert or replace the state of (ruleId, kind). */
  saveStorm(storm: AlertStorm): Promise<void>;
}
