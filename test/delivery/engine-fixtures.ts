import { createHttpDestination } from '../../src/adapters/destinations/http/create-http-destination.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createEndpoint } from '../../src/domain/delivery/create-endpoint.ts';
import type { DeliveryDeps } from '../../src/domain/delivery/delivery-deps.ts';
import type { Destination } from '../../src/domain/delivery/destination.ts';
import type { Endpoint, EndpointKind } from '../../src/domain/delivery/endpoint.ts';
import type { EngineDeps } from '../../src/domain/delivery/engine-deps.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import { emitEvent } from '../../src/domain/events/emit-event.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { Workspace } from '../../src/domain/workspaces/workspace.ts';
import type { DeliveryDispatcher } from '../../src/worker/delivery-dispatcher.ts';
import { createDeliveryDispatcher } from '../../src/worker/delivery-dispatcher.ts';
import { addWorkspace } from '../storage/fixtures.ts';

// The real delivery engine for tests: real storage, the real http
// destination over the real SSRF-guarded client (allowed to reach loopback,
// as an operator would with LINKHOOK_OUTBOUND_ALLOW), a ManualClock the test
// moves instead of sleeping, and a fixed jitter so retry times are exact.

export const LOOPBACK = ['127.0.0.0/8'];

export interface TestEngine {
  storage: Storage;
  clock: ManualClock;
  ws: Workspace;
  engine: EngineDeps;
  api: DeliveryDeps;
  dispatcher(owner?: string): DeliveryDispatcher;
  close(): void;
}

/** Disable-after of 1 hour of clock time: the failing-period test advances past it. */
export const TEST_DISABLE_AFTER_MS = 60 * 60 * 1000;

export async function openEngine(storage: Storage, clock = new ManualClock('2026-03-01T00:00:00Z')): Promise<TestEngine> {
  const guard = createOutboundGuard(LOOPBACK);
  const http = createHttpClient({ guard, connectTimeoutMs: 5000, totalTimeoutMs: 5000, maxBodyBytes: 1024 * 1024 });
  const httpDestination = createHttpDestination(http);
  // slack is the http destination under another kind here: only its default rate limit (1/s) matters to these tests.
  const destinations = new Map<EndpointKind, Destination>([
    ['http', httpDestination],
    ['slack', { ...httpDestination, kind: 'slack' }],
  ]);
  const engine: EngineDeps = { storage, clock, destinations, disableAfterMs: TEST_DISABLE_AFTER_MS, leaseMs: 60_000, random: () => 0.5 };
  const api: DeliveryDeps = { storage, clock, destinations, checkOutboundUrl: (url) => guard.check(url) };
  const ws = await addWorkspace(storage);
  return {
    storage,
    clock,
    ws,
    engine,
    api,
    dispatcher: (owner) => createDeliveryDispatcher({ engine, concurrency: 16, pollMs: 20, probeEveryMs: 60_000, owner }),
    close: () => http.close(),
  };
}

export async function addEndpoint(t: TestEngine, url: string, over: Record<string, unknown> = {}): Promise<Endpoint> {
  return createEndpoint(t.api, t.ws.id, { kind: 'http', url, events: ['link.created'], ...over });
}

/** A link.created event (the catalogue's sample, with a fresh id, this workspace and the clock's time). */
export function linkCreated(t: TestEngine, link: Partial<EventEnvelope['data']['link']> = {}): EventEnvelope {
  const sample = EVENT_CATALOGUE['link.created'].sample as EventEnvelope;
  const now = t.clock.now();
  const baseLink = sample.data.link!;
  return { ...sample, id: newId('event', now.getTime()), workspace_id: t.ws.id, timestamp: now.toISOString(), data: { ...sample.data, link: { ...baseLink, ...link } } };
}

export async function emit(t: TestEngine, ...events: EventEnvelope[]): Promise<void> {
  await t.storage.transaction(async (tx) => {
    for (const e of events) await emitEvent(tx, e);
  });
}

export async function deliveriesOf(t: TestEngine, endpointId: string) {
  return (await t.storage.deliveries.list(t.ws.id, { endpointId }, { limit: 100 })).items;
}
