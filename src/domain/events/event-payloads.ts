import type { Click } from '../clicks/click.ts';
import type { Endpoint } from '../delivery/endpoint.ts';
import type { Link } from '../links/link.ts';
import { destinationOf } from '../links/resolve-destination.ts';
import { shortUrl } from '../links/short-url.ts';
import type { ActorPayload, ClickPayload, LinkPayload } from './envelope.ts';
import type { EndpointSummary } from './payload-schemas.ts';

// Builders from domain objects to the wire parts of an event. Every event
// that carries a link or a click builds it here, so `data.link` is the same
// shape and the same values whatever produced the event (API, CLI, worker,
// redirect).

/**
 * The link as events show it, at `now`: `destination_url` is where a visitor
 * is sent at that moment (scheduled changes applied, UTMs merged), the value
 * a receiver would otherwise have to compute.
 */
export function linkPayload(link: Link, now: Date, baseUrl: string, customDomainScheme = 'https'): LinkPayload {
  return {
    id: link.id,
    short_url: shortUrl(link, baseUrl, customDomainScheme),
    destination_url: destinationOf(link, now),
    domain: link.domain,
    slug: link.slug,
    title: link.title,
    campaign: link.campaign,
    utm: { ...link.utm },
    tags: [...link.tags],
    owner: link.owner,
    priority: link.priority,
    is_test: link.isTest,
    external_id: link.externalId,
    metadata: { ...link.metadata },
  };
}

/** One QR code per link today; the id is derived so it stays stable without a table. */
export function qrCodeIdOf(linkId: string): string {
  return `qr_${linkId}`;
}

export function clickPayload(click: Click): ClickPayload {
  return {
    id: click.id,
    timestamp: click.ts,
    referrer: click.referrer,
    referrer_domain: click.referrerDomain,
    device: click.deviceType,
    browser: click.browser,
    os: click.os,
    country: click.country,
    region: click.region,
    city: click.city,
    is_qr: click.isQr,
    qr_code_id: click.isQr ? qrCodeIdOf(click.linkId) : null,
    is_bot: click.isBot,
    is_test: click.isTest,
  };
}

/** The event type of a click: a QR scan or a web click, never both. */
export function clickEventType(click: Pick<Click, 'isQr'>): 'qr.scanned' | 'link.clicked' {
  return click.isQr ? 'qr.scanned' : 'link.clicked';
}

/** Changes made by the system itself (scheduler, health monitor, worker). */
export const SYSTEM_ACTOR: ActorPayload = Object.freeze({ type: 'system', id: null, name: null });
/** Changes made from the command line (`linkhook links import`). */
export const CLI_ACTOR: ActorPayload = Object.freeze({ type: 'cli', id: null, name: 'cli' });

export function apiKeyActor(key: { id: string; name: string }): ActorPayload {
  return { type: 'api_key', id: key.id, name: key.name };
}

/**
 * An endpoint as endpoint.disabled / endpoint.recovered show it: the host of
 * its URL only, because for Slack, Teams and many CRMs the URL is the credential.
 */
export function endpointSummary(endpoint: Endpoint): EndpointSummary {
  let host: string | null = null;
  if (endpoint.url !== null) {
    try {
      host = new URL(endpoint.url).hostname;
    } catch {
      host = null;
    }
  }
  return { id: endpoint.id, kind: endpoint.kind, name: endpoint.name, url_host: host, class: endpoint.class, owner: endpoint.owner };
}
