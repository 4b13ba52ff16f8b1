import type { Endpoint } from '../../domain/delivery/endpoint.ts';
import { activeSecrets } from '../../domain/delivery/secrets.ts';

// The endpoint as the API shows it (snake_case). The signing secret is shown
// whole only in the answer that created it (create, rotate-secret); every
// other answer shows a prefix, enough to tell which secret a receiver holds.

/** `whsec_` + 4 characters: identifies a secret without weakening its 256 bits. */
const SECRET_PREFIX_LENGTH = 10;

/**
 * Settings keys that hold credentials (GitHub/Jira tokens, PagerDuty routing
 * keys, CRM auth headers, SMTP passwords): masked on the way out, because
 * endpoints:read is a scope handed to dashboards and reporting tools.
 */
const SECRET_KEY = /token|secret|password|passwd|authorization|api[_-]?key|routing[_-]?key|credential|^auth/i;

function mask(value: unknown): unknown {
  if (typeof value !== 'string') return '****';
  return value.length > 8 ? `****${value.slice(-4)}` : '****';
}

export function maskSettings(value: unknown, key = ''): unknown {
  if (key !== '' && SECRET_KEY.test(key)) return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskSettings(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskSettings(v, k)]));
  }
  return value;
}

export interface EndpointJson {
  id: string;
  kind: Endpoint['kind'];
  name: string | null;
  url: string | null;
  settings: unknown;
  events: string[];
  filter: Endpoint['filter'];
  class: Endpoint['class'];
  owner: string | null;
  rate_limit_per_second: number | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  secret_prefix: string | null;
  /** While a rotated-out secret still signs: when it stops. */
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
  /** Only in the answers of create and rotate-secret. */
  secret?: string;
}

export function endpointJson(endpoint: Endpoint, now: Date, opts: { withSecret?: boolean } = {}): EndpointJson {
  const signing = activeSecrets(endpoint.secrets, now);
  const current = signing.find((s) => s.expiresAt === null) ?? null;
  const previous = signing.filter((s) => s.expiresAt !== null).map((s) => s.expiresAt as string).sort().at(-1) ?? null;
  const json: EndpointJson = {
    id: endpoint.id,
    kind: endpoint.kind,
    name: endpoint.name,
    url: endpoint.url,
    settings: maskSettings(endpoint.settings),
    events: endpoint.events,
    filter: endpoint.filter,
    class: endpoint.class,
    owner: endpoint.owner,
    rate_limit_per_second: endpoint.rateLimitPerSecond,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    disabled_at: endpoint.disabledAt,
    failing_since: endpoint.failingSince,
    secret_prefix: current ? current.secret.slice(0, SECRET_PREFIX_LENGTH) : null,
    previous_secret_expires_at: previous,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
  };
  if (opts.withSecret && current) json.secret = current.secret;
  return json;
}
