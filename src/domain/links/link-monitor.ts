import type { Link, Utm } from './link.ts';

// What the background monitors (destination health, lifecycle sweep) remember
// about a link between runs. Kept out of the link row on purpose: a health
// check every 5 minutes must not rewrite the link (and bump its updated_at,
// or invalidate redirect caches) when nothing about the link changed.

/** One request-and-follow of a link's destination, as link.redirect_* events report it. */
export interface HealthCheck {
  url: string;
  checkedAt: string;
  /** The last HTTP status seen (the one that failed, or the final 2xx/3xx). */
  status: number | null;
  /** null when healthy; an OutboundError class or redirect_loop / too_many_hops / unexpected_domain. */
  errorClass: string | null;
  error: string | null;
  durationMs: number;
  /** Where the chain ended (null when no answer was received). */
  finalUrl: string | null;
  /** Every URL requested, in order. */
  chain: string[];
}

/**
 * `suspect`: one failed check, waiting for the confirming one (a single
 * failure is not reported: a deploy or a blip is not an outage).
 * `failing`: confirmed; link.redirect_failed was emitted.
 */
export type HealthStatus = 'healthy' | 'suspect' | 'failing';

export interface LinkHealthState {
  linkId: string;
  workspaceId: string;
  status: HealthStatus;
  consecutiveFailures: number;
  /** First failure of the current run of failures. */
  failingSince: string | null;
  lastCheck: HealthCheck | null;
  /** When the next check is due; moved forward while a worker holds the check (its lease). */
  nextCheckAt: string;
  updatedAt: string;
}

/** Scan cursor for links across every workspace, oldest id first. */
export interface LinkScan {
  afterId?: string;
  limit: number;
}

export interface LinkMonitorRepo {
  listHealth(linkIds: readonly string[]): Promise<LinkHealthState[]>;
  /**
   * Claims one link's check: moves next_check_at to `leaseUntil` if it is due
   * at `now` (or the link has no state yet, which creates it). True when this
   * caller got it; a second worker asking at the same moment gets false. A
   * worker that dies mid-check loses nothing: the check is due again at
   * `leaseUntil`.
   */
  claimHealthCheck(link: Pick<Link, 'id' | 'workspaceId'>, now: string, leaseUntil: string): Promise<boolean>;
  saveHealth(state: LinkHealthState): Promise<void>;
  /**
   * Records that notice `key` was sent for a link; true only for the call
   * that recorded it. The key is unique per link, so emitting in the same
   * transaction makes each notice exactly-once across any number of workers.
   */
  recordNotice(link: Pick<Link, 'id' | 'workspaceId'>, key: string, at: string): Promise<boolean>;
  /** Links whose expires_at is within [from, to], any workspace. */
  listExpiringBetween(from: string, to: string, scan: LinkScan): Promise<Link[]>;
  /** Links with at least one scheduled change, any workspace. */
  listWithScheduledChanges(scan: LinkScan): Promise<Link[]>;
  /** Clicks on a link with from <= ts < to: QR scans only with `qr`; bots only with `includeBots`; test traffic never. */
  countLinkClicks(linkId: string, from: string, to: string, opts?: { qr?: boolean; includeBots?: boolean }): Promise<number>;
  /** Each distinct UTM set of the workspace's non-test links, with how many links use it (UTM policy duplicates). */
  utmUsage(workspaceId: string): Promise<{ utm: Utm; links: number }[]>;
}
