// The one normalised envelope every event travels in, on every destination.
// Wire format: snake_case JSON. `data.link` and `data.click` have the same
// shape in every event that carries them, so a receiver (or an endpoint
// filter) reads the campaign, country or QR flag from one place whatever the
// event type.

export interface LinkPayload {
  id: string;
  short_url: string;
  /** Destination with UTMs merged and schedule applied, as a visitor gets it now. */
  destination_url: string;
  /** Custom domain hostname, or null for the default domain. */
  domain: string | null;
  slug: string;
  title: string | null;
  campaign: string | null;
  utm: Partial<Record<'source' | 'medium' | 'campaign' | 'term' | 'content', string>>;
  tags: string[];
  owner: string | null;
  priority: 'low' | 'normal' | 'high' | 'critical';
  is_test: boolean;
  external_id: string | null;
  metadata: Record<string, string>;
}

export interface ClickPayload {
  id: string;
  timestamp: string;
  referrer: string | null;
  referrer_domain: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  is_qr: boolean;
  /** Which QR code was scanned; null for web clicks. Today one QR per link: `qr_<link id>`. */
  qr_code_id: string | null;
  is_bot: boolean;
  is_test: boolean;
}

/** Who or what made a change: an API key, the CLI, the scheduler. */
export interface ActorPayload {
  type: 'api_key' | 'cli' | 'system';
  id: string | null;
  name: string | null;
}

export interface EventEnvelope<D extends Record<string, unknown> = Record<string, unknown>> {
  /** `evt_...`: also the `webhook-id` of every delivery of this event, stable across retries. */
  id: string;
  type: string;
  /** When the change happened (ISO 8601 UTC). */
  timestamp: string;
  workspace_id: string;
  data: D & { link?: LinkPayload; click?: ClickPayload };
}

/** The alert part of alert.triggered / alert.resolved (and what alert-like destinations read). */
export interface AlertPayload {
  id: string;
  /** Stable for one condition on one subject (rule + link): dedup key for PagerDuty, GitHub, Jira. */
  fingerprint: string;
  rule_id: string;
  rule_name: string;
  status: 'triggered' | 'resolved';
  severity: 'info' | 'warning' | 'critical';
  /** One readable sentence: what happened, on what, compared to what. */
  summary: string;
  metric: string | null;
  value: number | null;
  threshold: number | null;
  window: string | null;
  owner: { name: string; contact: string | null };
  /** The runbook text or URL: what to do. */
  action: string;
  triggered_at: string;
  resolved_at: string | null;
  /** What the evaluator measured beyond the figures (baseline, failing check...); absent when nothing. */
  details?: Record<string, unknown>;
  /** true on the one extra alert.triggered sent to the escalation endpoints when nobody acknowledged in time. */
  escalated?: boolean;
  /** With `escalated`: the rule's response time the alert was not acknowledged within ("30m"). */
  response_time?: string;
  /** true on a fire drill (`POST /rules/{id}/drill`): a synthetic alert, nothing is wrong. */
  is_drill?: boolean;
  /** Storm control: one message standing for `count` alerts of one rule (one storm window, src/domain/rules/storm-control.ts). */
  group?: AlertGroupPayload;
}

export interface AlertGroupPayload {
  count: number;
  /** The grouped alerts' ids (the first 100), each readable at GET /api/v1/alerts/{id}. */
  alert_ids: string[];
  /** The worst cases (furthest from the threshold), at most 5. */
  worst: { alert_id: string; subject: string; link_id: string | null; summary: string; value: number | null }[];
}
