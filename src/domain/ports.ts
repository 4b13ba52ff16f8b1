// The ports the domain needs from the outside world. Adapters implement them;
// entrypoints wire them. Nothing here knows about SQL, HTTP or the process.
import type { AnalyticsRepo } from './analytics/ports.ts';
import type { Click, LinkStats } from './clicks/click.ts';
import type { DeliveryRepo, DestinationStateRepo, EndpointRepo, EventRepo, IdempotencyRepo } from './delivery/ports.ts';
import type { CustomDomain } from './domains/custom-domain.ts';
import type { Link } from './links/link.ts';
import type { LinkMonitorRepo } from './links/link-monitor.ts';
import type { ReportScheduleRepo, ReportStatsRepo } from './reports/report-schedule.ts';
import type { AlertRepo, RuleRepo } from './rules/ports.ts';
import type { ApiKey, Workspace } from './workspaces/workspace.ts';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface LinkFilter {
  tag?: string;
  campaign?: string;
  /** Hostname, or null for links on the default domain. */
  domain?: string | null;
  /** Case-insensitive substring of slug, title, destination or external id. */
  search?: string;
}

export interface PageRequest {
  /** Exclusive: items strictly after this cursor (newest first). */
  cursor?: string;
  limit: number;
}

export interface WorkspaceRepo {
  getBySlug(slug: string): Promise<Workspace | undefined>;
  getById(id: string): Promise<Workspace | undefined>;
  insert(ws: Workspace): Promise<void>;
}

export interface ApiKeyRepo {
  insert(key: ApiKey): Promise<void>;
  getByHash(hash: string): Promise<ApiKey | undefined>;
}

export interface LinkRepo {
  /** Throws AppError('slug_taken') when (domain, slug) is already used. */
  insert(link: Link): Promise<void>;
  /** Full replace of the row (and its tags). Throws AppError('slug_taken') on collision. */
  update(link: Link): Promise<void>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  getById(workspaceId: string, id: string): Promise<Link | undefined>;
  /** The redirect lookup: domain null means the default domain. Any workspace. */
  findBySlug(domain: string | null, slug: string): Promise<Link | undefined>;
  slugExists(domain: string | null, slug: string): Promise<boolean>;
  list(workspaceId: string, filter: LinkFilter, page: PageRequest): Promise<Page<Link>>;
}

export interface ClickRepo {
  /** Appends many clicks in one transaction: all or none. */
  insertMany(clicks: Click[]): Promise<void>;
  listByLink(workspaceId: string, linkId: string, page: PageRequest): Promise<Page<Click>>;
  statsByLink(workspaceId: string, linkId: string): Promise<LinkStats>;
  countAll(): Promise<number>;
  // Read-side counts for alert rules, backtests and dashboards. Test traffic
  // never counts; bots only when the query asks. Read from the click log
  // (index clicks_link_ts): the redirect path keeps no counters.
  /** Per link with at least one matching click in [from, to): count, first and last ts. */
  countByLink(q: ClickCountQuery): Promise<LinkClickCount[]>;
  /** Per link per epoch-aligned bucket of bucketMs (e.g. 3,600,000 for hours); empty buckets are absent. */
  countByBucket(q: ClickCountQuery, bucketMs: number): Promise<BucketClickCount[]>;
  /** Per link per country ('country') or device type ('device'); a null country is an unknown one. */
  countByDimension(q: ClickCountQuery, dimension: 'country' | 'device'): Promise<DimensionClickCount[]>;
  /** The oldest matching clicks in [from, to), at most `limit`, for examples in messages. */
  listInRange(q: ClickCountQuery, limit: number): Promise<Click[]>;
}

export interface ClickCountQuery {
  workspaceId: string;
  /** The links to count; an empty list counts nothing. */
  linkIds: readonly string[];
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** 'clicks': every human visit (QR included); 'scans': the QR share only. */
  metric: 'clicks' | 'scans';
  /** Count bots too (a rule watching bot surges opts in). Default false. */
  includeBots?: boolean;
}

export interface LinkClickCount {
  linkId: string;
  count: number;
  /** ISO time of the first and last matching click. */
  firstAt: string;
  lastAt: string;
}

export interface BucketClickCount {
  linkId: string;
  /** ISO start of the bucket. */
  bucketStart: string;
  count: number;
}

export interface DimensionClickCount {
  linkId: string;
  value: string | null;
  count: number;
}

export interface DomainRepo {
  /** Throws AppError('domain_taken') when the hostname is registered already. */
  insert(domain: CustomDomain): Promise<void>;
  update(domain: CustomDomain): Promise<void>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  getById(workspaceId: string, id: string): Promise<CustomDomain | undefined>;
  /** Any workspace: the redirect path resolves the Host header with it. */
  getByHostname(hostname: string): Promise<CustomDomain | undefined>;
  list(workspaceId: string): Promise<CustomDomain[]>;
}

/** The repositories, as seen inside one transaction or outside any. */
export interface Repos {
  // Analytics queries, rollups and export pages (src/domain/analytics/ports.ts).
  analytics: AnalyticsRepo;
  workspaces: WorkspaceRepo;
  apiKeys: ApiKeyRepo;
  links: LinkRepo;
  clicks: ClickRepo;
  domains: DomainRepo;
  // Events and delivery (src/domain/delivery/ports.ts).
  events: EventRepo;
  endpoints: EndpointRepo;
  deliveries: DeliveryRepo;
  destinationState: DestinationStateRepo;
  idempotency: IdempotencyRepo;
  // Alert rules and alerts (src/domain/rules/ports.ts).
  rules: RuleRepo;
  alerts: AlertRepo;
  // Health-check and lifecycle-notice state (src/domain/links/link-monitor.ts).
  linkMonitor: LinkMonitorRepo;
  // Report schedules and their summary figures (src/domain/reports/report-schedule.ts).
  reports: ReportScheduleRepo;
  reportStats: ReportStatsRepo;
}

export interface Storage extends Repos {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one transaction: every write inside commits together or not at all. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * A random secret generated on first call and stored in the database, so
   * every process sharing it derives the same visitor-hash salt.
   */
  instanceSecret(): Promise<string>;
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  /**
   * Called (in this process and, on PostgreSQL, in every process sharing the
   * database) after a link or domain changes, so redirect caches drop it.
   */
  onInvalidate(listener: (key: InvalidationKey) => void): void;
  /** Announces a change to every process (in-process listeners included). */
  invalidate(key: InvalidationKey): Promise<void>;
  close(): Promise<void>;
}

export type InvalidationKey =
  | { kind: 'link'; domain: string | null; slug: string }
  | { kind: 'domain'; hostname: string }
  /** A workspace's endpoints changed: who subscribes to click events may have too. */
  | { kind: 'endpoints'; workspaceId: string };

/** Geolocation of an IP address from an offline database. */
export interface GeoLookup {
  lookup(ip: string): { country: string | null; region: string | null; city: string | null };
}

export interface UserAgentInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  deviceType: Click['deviceType'];
  isBot: boolean;
  /** 'user-agent' for crawlers, 'preview' for link-preview fetchers (Slackbot, facebookexternalhit...). */
  botReason: string | null;
}

export interface UserAgentParser {
  parse(userAgent: string | null): UserAgentInfo;
}

export interface QrRenderer {
  svg(text: string, size: number): Promise<string>;
  png(text: string, size: number): Promise<Buffer>;
}

/** The certificate a TLS server presents, as the domain-health monitor reads it. */
export interface TlsCertificate {
  /** ISO time the certificate stops being valid. */
  validTo: string;
  validFrom: string;
  subject: string | null;
  issuer: string | null;
  /** Whether it verifies against the trusted CAs for this hostname; an expiring cert is read either way. */
  authorized: boolean;
  authorizationError: string | null;
}

/** Reads a hostname's TLS certificate (through the SSRF guard). Throws OutboundError (dns, blocked, connect, tls, timeout). */
export interface TlsProbe {
  certificate(hostname: string): Promise<TlsCertificate>;
}

/** DNS answers needed to verify a custom domain. */
export interface DnsResolver {
  txt(hostname: string): Promise<string[]>;
  cname(hostname: string): Promise<string[]>;
}
