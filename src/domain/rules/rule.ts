import type { Priority, UtmKey } from '../links/link.ts';

// An alert rule: which links (scope), what condition (trigger), who owns it,
// what to do (action), where it goes (endpoints). Owner and action are
// required: an alert nobody owns and nobody knows how to act on is noise.

export const TRIGGER_TYPES = ['event', 'threshold', 'change', 'health', 'utm_policy', 'lifecycle', 'qr_region', 'domain_health'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Metric = 'clicks' | 'scans';

/** Which links a rule watches; absent keys match everything (the whole workspace). */
export interface RuleScope {
  link_ids?: string[];
  tags?: string[];
  campaign?: string;
  /** Hostname, or null for the default domain. */
  domain?: string | null;
  priority?: Priority[];
}

export type Trigger =
  /** Every click/scan on a scoped link, coalesced into one message per window. */
  | { type: 'event'; metric: Metric; window: string }
  /** Volume in a sliding window at or above / at or below a value, per link or summed over the scope. */
  | { type: 'threshold'; metric: Metric; window: string; op: '>=' | '<='; value: number; per?: 'link' | 'scope' }
  /** The current window against a baseline from the link's own history. */
  | { type: 'change'; metric: Metric; window: string; direction: 'up' | 'down' | 'both'; factor?: number; min_volume?: number }
  /** Destination health monitor. */
  | { type: 'health'; max_hops?: number; expected_domains?: string[] }
  /** UTM completeness and conventions. */
  | { type: 'utm_policy'; required?: UtmKey[]; allowed?: Partial<Record<UtmKey, string[]>>; patterns?: Partial<Record<UtmKey, string>>; case?: 'lower'; separator?: '-' | '_' }
  /** Expiry lead times, expired, scheduled change applied, traffic on expired links. */
  | { type: 'lifecycle'; lead_times?: string[] }
  /** QR scans from outside the expected countries / device types. */
  | { type: 'qr_region'; expected_countries?: string[]; expected_devices?: string[] }
  /** Custom domain DNS no longer pointing at us, TLS certificate expiring within N days. */
  | { type: 'domain_health'; tls_days?: number };

export interface RuleOwner {
  name: string;
  contact: string | null;
}

export interface Rule {
  id: string;
  workspaceId: string;
  name: string;
  scope: RuleScope;
  trigger: Trigger;
  endpointIds: string[];
  /** Notified once when an alert is not acknowledged within responseTimeMs. */
  escalationEndpointIds: string[];
  owner: RuleOwner;
  /** The runbook text or URL that goes in every message. */
  action: string;
  severity: Severity;
  class: 'alert' | 'report';
  /** Minimum time between two notifications for one alert. */
  cooldownMs: number;
  responseTimeMs: number | null;
  /** Bots never count unless the rule opts in (e.g. to watch bot surges). Test traffic never counts. */
  includeBots: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /**
   * Storage-managed, never set by the API: the evaluation time of the rule's
   * last committed evaluation (written in the lifecycle's transaction), so an
   * `event` rule counts each click in exactly one window, across restarts.
   */
  evaluatedUntil?: string | null;
}

export const ALERT_STATUSES = ['triggered', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** One condition on one subject (rule + scope key), from triggered to resolved. */
export interface Alert {
  id: string;
  workspaceId: string;
  ruleId: string;
  /** rule id + subject key: stable, the dedup key downstream (PagerDuty, GitHub, Jira). */
  fingerprint: string;
  /** What the alert is about: a link id, a domain, or 'scope' for scope-wide sums. */
  subject: string;
  linkId: string | null;
  status: AlertStatus;
  severity: Severity;
  summary: string;
  metric: string | null;
  value: number | null;
  threshold: number | null;
  window: string | null;
  details: Record<string, unknown>;
  isDrill: boolean;
  triggeredAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  snoozedUntil: string | null;
  escalatedAt: string | null;
  /** Null while no message about this alert was sent (cooldown, snooze): its resolution is then silent too. */
  lastNotifiedAt: string | null;
  /** Consecutive evaluations the condition was clear while open (hysteresis: RESOLVE_AFTER_CLEAR_EVALUATIONS). */
  clearStreak: number;
}

/**
 * Storm control state of one rule for one kind of message (triggered or
 * resolved): the current window, how many alerts it messaged, whether its
 * one grouped message went out, and the alerts held for the window's end.
 * Stored (not in memory), so a restart neither loses a held alert nor sends
 * a second grouped message for the same window.
 */
export interface AlertStorm {
  ruleId: string;
  workspaceId: string;
  kind: AlertStatus;
  windowStart: string;
  windowEnd: string;
  /** Alerts messaged in this window, one by one or grouped. */
  notified: number;
  /** When the window's grouped message went out; null while alerts still go one by one. */
  groupedAt: string | null;
  /** Alert ids held for the grouped message at the window's end, oldest first. */
  pending: string[];
}
