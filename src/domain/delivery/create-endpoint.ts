import { newId } from '../shared/ids.ts';
import { checkEndpoint } from './check-endpoint.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import type { Endpoint } from './endpoint.ts';
import { parseCreateEndpoint } from './endpoint-input.ts';
import { newWebhookSecret } from './sign-webhook.ts';

type Deps = Pick<DeliveryDeps, 'storage' | 'clock' | 'destinations' | 'checkOutboundUrl'>;

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
    class: input.class ?? 'alert',
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
