// The link: what a team creates, what the redirect serves, what every click
// and event refers to.

export const REDIRECT_TYPES = [301, 302, 307, 308] as const;
export type RedirectType = (typeof REDIRECT_TYPES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type Utm = Partial<Record<UtmKey, string>>;

/** A change that takes effect at `at`: a new destination, or the link switched off. */
export type ScheduledChange = { at: string; url: string } | { at: string; action: 'disable' };

export interface Link {
  id: string;
  workspaceId: string;
  /** Hostname of a custom domain, or null for the default domain. */
  domain: string | null;
  slug: string;
  /** The destination as given, before UTM parameters are merged in. */
  url: string;
  redirectType: RedirectType;
  title: string | null;
  tags: string[];
  campaign: string | null;
  utm: Utm;
  priority: Priority;
  owner: string | null;
  expiresAt: string | null;
  expiredUrl: string | null;
  scheduledChanges: ScheduledChange[];
  isTest: boolean;
  externalId: string | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const RANDOM_SLUG_LENGTH = 7;

/**
 * Paths the server answers itself on every domain; a link cannot take them
 * or its redirect would be unreachable.
 */
export const RESERVED_SLUGS = new Set(['api', 'healthz', 'metrics', 'favicon.ico', 'robots.txt', 'static', 'assets', 'dashboard', 'app']);
