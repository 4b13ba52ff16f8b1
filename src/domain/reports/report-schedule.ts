import type { Priority } from '../links/link.ts';

// A report schedule: which links (scope, as in alert rules), when (a cron
// expression read in an IANA timezone), and where the summary goes (named
// endpoints: naming an endpoint is the subscription, as with rules).

/** Which links a report covers; absent keys match everything (the whole workspace). */
export interface ReportScope {
  link_ids?: string[];
  tags?: string[];
  campaign?: string;
  /** Hostname, or null for the default domain. */
  domain?: string | null;
  priority?: Priority[];
}

export interface ReportSchedule {
  id: string;
  workspaceId: string;
  name: string;
  /** Five-field cron ("0 7 * * *": 07:00 daily; "0 7,19 * * *": twice daily). */
  cron: string;
  /** IANA zone the cron is read in ("Europe/Berlin"): 07:00 stays 07:00 across DST. */
  timezone: string;
  scope: ReportScope;
  endpointIds: string[];
  /** Who the report is for (shown in the summary); free text, e.g. an email address. */
  owner: string | null;
  enabled: boolean;
  /** The next fire time; holds the lease expiry while a scheduler runs it. */
  nextRunAt: string;
  /** The fire time the last summary covered (its period_end). */
  lastRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReportClaim {
  now: string;
  /** The claimed schedules' next_run_at moves here: a crashed scheduler's schedule comes back by itself then. */
  leaseUntil: string;
  limit: number;
}

export interface ReportScheduleRepo {
  insert(schedule: ReportSchedule): Promise<void>;
  /** Full replace of the row. */
  update(schedule: ReportSchedule): Promise<void>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  getById(workspaceId: string, id: string): Promise<ReportSchedule | undefined>;
  list(workspaceId: string): Promise<ReportSchedule[]>;
  /** Claims enabled schedules due at `now` (any workspace) in one statement; SKIP LOCKED on PostgreSQL. */
  claimDue(claim: ReportClaim): Promise<ReportSchedule[]>;
  /**
   * Records a run: next_run_at and last_run_at move on, but only while the
   * caller still holds its lease (next_run_at = leaseUntil). False when the
   * lease was lost (expired and taken by another scheduler, or the schedule
   * was edited meanwhile): the caller then rolls its transaction back.
   */
  completeRun(id: string, leaseUntil: string, nextRunAt: string, lastRunAt: string): Promise<boolean>;
}

/** Read-side figures a summary needs beyond per-link counts; test traffic never counts. */
export interface ReportStatsQuery {
  workspaceId: string;
  linkIds: readonly string[];
  from: Date;
  to: Date;
}

export interface ReportTotals {
  /** Human visits, QR scans included; bots and test traffic excluded. */
  clicks: number;
  scans: number;
  uniqueVisitors: number;
  bots: number;
  test: number;
}

export interface ReportStatsRepo {
  totals(q: ReportStatsQuery): Promise<ReportTotals>;
  /** Human clicks grouped by country or referrer domain, most first; null is unknown / direct. */
  top(q: ReportStatsQuery, by: 'country' | 'referrer_domain', limit: number): Promise<{ value: string | null; clicks: number }[]>;
}
