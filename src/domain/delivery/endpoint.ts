// An endpoint: where a workspace wants some of its events delivered, and how.

export const ENDPOINT_KINDS = ['http', 'slack', 'teams', 'email', 'pagerduty', 'github', 'jira', 'crm', 'warehouse'] as const;
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

export const ENDPOINT_CLASSES = ['alert', 'report'] as const;
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

/** Which events of the subscribed types an endpoint wants; absent keys match everything. */
export interface EndpointFilter {
  link_ids?: string[];
  tags?: string[];
  campaigns?: string[];
  domains?: (string | null)[];
  countries?: string[];
  devices?: string[];
  /** true: QR scans only; false: web clicks only. */
  qr?: boolean;
  /** Bots and test traffic are excluded unless asked for. */
  include_bots?: boolean;
  include_test?: boolean;
}

/** A signing secret (`whsec_` + base64). During rotation the old one signs too until it expires. */
export interface EndpointSecret {
  secret: string;
  createdAt: string;
  /** null: current. Set on the previous secret when rotated: the end of the overlap window. */
  expiresAt: string | null;
}

export interface Endpoint {
  id: string;
  workspaceId: string;
  kind: EndpointKind;
  name: string | null;
  /** Target URL for the HTTP-based kinds; null for email and warehouse. */
  url: string | null;
  /** Kind-specific settings (custom headers, recipients, routing key, repo, CRM template...). */
  settings: Record<string, unknown>;
  /** Event type names this endpoint subscribes to. */
  events: string[];
  filter: EndpointFilter;
  class: EndpointClass;
  owner: string | null;
  /** Deliveries per second across all workers; null = the kind's default (Slack: 1). */
  rateLimitPerSecond: number | null;
  enabled: boolean;
  /** Why it is disabled: 'manual', 'gone' (receiver answered 410), 'failing' (kept failing). */
  disabledReason: string | null;
  disabledAt: string | null;
  /** First failure of the current failing streak; null while healthy. */
  failingSince: string | null;
  secrets: EndpointSecret[];
  createdAt: string;
  updatedAt: string;
}
