import { matchEndpoint } from '../delivery/match-endpoint.ts';
import { emitEvents } from '../events/emit-event.ts';
import type { EventEnvelope } from '../events/envelope.ts';
import { clickEventType, clickPayload, linkPayload } from '../events/event-payloads.ts';
import { newEvent } from '../events/new-event.ts';
import type { Link } from '../links/link.ts';
import type { Storage } from '../ports.ts';
import type { Click } from './click.ts';

/** A click and the link it was served for (the redirect has the link in hand; events need it). */
export interface ClickWithLink {
  click: Click;
  link: Link;
}

export interface CommitClicksDeps {
  storage: Storage;
  baseUrl: string;
  customDomainScheme: 'http' | 'https';
  /** Wakes the in-process delivery worker after a batch produced deliveries. */
  onEvents?: () => void;
}

const CLICK_TYPES = ['link.clicked', 'qr.scanned'];

/**
 * How long "this workspace has no click subscribers" is trusted. A new or
 * changed endpoint drops the entry at once through storage.invalidate (in
 * this process, and over NOTIFY in every process on PostgreSQL); the TTL
 * bounds the window should a notification be missed.
 */
const SUBSCRIBERS_TTL_MS = 1000;

/**
 * The group commit's write: the batch's clicks and — only when an endpoint of
 * their workspace subscribes to link.clicked / qr.scanned — their events and
 * deliveries, in ONE transaction. The click log is the outbox for click
 * events: a click is never stored without the event its subscribers expect,
 * nor an event sent for a click that was not stored.
 *
 * Most workspaces subscribe to no click events, and then a batch is the bare
 * click insert (the adapter's fastest path). Whether a workspace has
 * subscribers is cached per process; when it might, the endpoints are read
 * again inside the batch's transaction, so the decision to emit is always
 * made on committed state. Measured in bench:redirect: wrapping every batch
 * in a transaction with that read cost ~7% more CPU per redirect.
 */
export function createClickCommitter(deps: CommitClicksDeps): (batch: readonly ClickWithLink[]) => Promise<void> {
  const subscribers = new Map<string, { any: boolean; at: number }>();
  deps.storage.onInvalidate((key) => {
    if (key.kind === 'endpoints') subscribers.delete(key.workspaceId);
  });

  const mayHaveSubscribers = async (workspaces: string[]): Promise<boolean> => {
    const now = Date.now();
    const unknown = workspaces.filter((ws) => {
      const entry = subscribers.get(ws);
      return entry === undefined || now - entry.at >= SUBSCRIBERS_TTL_MS;
    });
    if (unknown.length > 0) {
      const endpoints = await deps.storage.endpoints.listForFanOut(unknown);
      for (const ws of unknown) subscribers.set(ws, { any: endpoints.some((e) => e.workspaceId === ws && e.events.some((t) => CLICK_TYPES.includes(t))), at: now });
    }
    return workspaces.some((ws) => subscribers.get(ws)?.any === true);
  };

  return async (batch) => {
    const clicks = batch.map((b) => b.click);
    const workspaces = [...new Set(clicks.map((c) => c.workspaceId))];
    if (!(await mayHaveSubscribers(workspaces))) {
      await deps.storage.clicks.insertMany(clicks);
      return;
    }
    const emitted = await deps.storage.transaction(async (tx) => {
      await tx.clicks.insertMany(clicks);
      const endpoints = (await tx.endpoints.listForFanOut(workspaces)).filter((e) => e.events.some((t) => CLICK_TYPES.includes(t)));
      if (endpoints.length === 0) return 0;
      const events: EventEnvelope[] = [];
      for (const { click, link } of batch) {
        const type = clickEventType(click);
        if (!endpoints.some((e) => e.workspaceId === click.workspaceId && e.events.includes(type))) continue;
        const at = new Date(click.ts);
        const event = newEvent(type, click.workspaceId, { link: linkPayload(link, at, deps.baseUrl, deps.customDomainScheme), click: clickPayload(click) }, at);
        // Only events some endpoint's filter wants: a bot-heavy link must not fill the outbox with unwanted rows.
        if (endpoints.some((e) => matchEndpoint(e, event))) events.push(event);
      }
      await emitEvents(tx, events, endpoints);
      return events.length;
    });
    if (emitted > 0) deps.onEvents?.();
  };
}
