import type { DeliverySignal } from '../delivery/delivery-signal.ts';
import type { ActorPayload } from '../events/envelope.ts';
import type { LinkEventContext } from '../events/link-events.ts';
import { SYSTEM_ACTOR } from '../events/event-payloads.ts';
import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';

/** What the link use cases need from the outside. */
export interface LinkDeps {
  storage: Storage;
  clock: Clock;
  /** Host of LINKHOOK_BASE_URL: naming it as `domain` means the default domain. */
  defaultHost: string;
  /** LINKHOOK_BASE_URL: events carry the short URL people actually share. */
  baseUrl: string;
  /** Scheme of short URLs on custom domains (https in production). */
  customDomainScheme: string;
  /** Wakes this process's delivery dispatcher once a change and its events commit. */
  signal?: DeliverySignal;
}

/** How link events are built for a change made by `actor` at `now`. */
export function eventContext(deps: LinkDeps, now: Date, actor: ActorPayload | undefined): LinkEventContext {
  return { now, baseUrl: deps.baseUrl, customDomainScheme: deps.customDomainScheme, actor: actor ?? SYSTEM_ACTOR };
}
