import { EVENT_CATALOGUE, isEventType } from '../events/catalogue.ts';
import { newId } from '../shared/ids.ts';
import { checkEndpoint } from './check-endpoint.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import type { Endpoint } from './endpoint.ts';
import { parseCreateEndpoint } from './endpoint-input.ts';
import { newWebhookSecret } from './sign-webhook.ts';

type Deps = Pick<DeliveryDeps, 'storage' | 'clock' | 'destinations' | 'checkOutboundUrl'>;

/**
 * The class an endpoint gets when the body names none: `report` when every
 * event it subscribes to is a reporting event (summaries, clicks, scans),
 * else `alert`. A digest channel created with `events: ["report.summary"]`
 * is then accepted by report schedules without a second setting.
 */
export function defaultEndpointClass(events: readonly string[]): Endpoint['class'] {
  return events.length > 0 && events.every((t) => isEventType(t) && EVENT_CATALOGUE[t].class === 'report') ? 'report' : 'alert';
}

/**
 * Creates an endpoint from an API body. Every kind gets a signing secret
 * (`whsec_...`): the http kind signs with it; for the others it costs nothing
 * and lets a kind start signing later without a migration.
 */
export async function createEndpoint(deps: Deps, workspaceId: string, body: unknown): Promise<Endpoint> {
  const input = parseCreateEndpoint(body);
  const now = deps.clock.now();
  const at = now.toISOString();
  const enabled = input.enabled ?? true;
  const draft: Endpoint = {
    id: newId('endpoint', now.getTime()),
    workspaceId,
    kind: input.kind,
    name: input.name ?? null,
    url: input.url ?? null,
    settings: input.settings ?? {},
    events: [...new Set(input.events)],
    filter: input.filter ?? {},
    class: input.class ?? defaultEndpointClass(input.events),
    owner: input.owner ?? null,
    rateLimitPerSecond: input.rate_limit_per_second ?? null,
    enabled,
    disabledReason: enabled ? null : 'manual',
    disabledAt: enabled ? null : at,
    failingSince: null,
    secrets: [{ secret: newWebhookSecret(), createdAt: at, expiresAt: null }],
    createdAt: at,
    updatedAt: at,
  };
  const endpoint = await checkEndpoint(deps, draft);
  await deps.storage.transaction((tx) => tx.endpoints.insert(endpoint));
  // The click committer caches which workspaces subscribe to click events.
  await deps.storage.invalidate({ kind: 'endpoints', workspaceId });
  return endpoint;
}
