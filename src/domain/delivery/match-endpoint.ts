import type { EventEnvelope } from '../events/envelope.ts';
import type { Endpoint } from './endpoint.ts';

// Does an endpoint want this event? It must subscribe to the type, and pass
// its filter. A filter key constrains only events that carry what it looks at:
// link keys (link_ids, tags, campaigns, domains) read `data.link`, visit keys
// (countries, devices, qr) read `data.click`. An event without a link (an
// alert on the workspace, a report, endpoint.disabled) is not held back by a
// link filter; an endpoint that wants only some links' alerts filters on the
// alert's link, which alert events carry when they are about one.
//
// Bot and test traffic are excluded unless include_bots / include_test:
// a bot is a click flagged is_bot; test traffic is a click flagged is_test
// (LINKHOOK_TEST_IP_RANGES) or any event of a link flagged is_test.

function anyOf<T>(wanted: readonly T[] | undefined, value: T | undefined): boolean {
  if (wanted === undefined || value === undefined) return true;
  return wanted.includes(value);
}

export function matchesFilter(endpoint: Pick<Endpoint, 'filter'>, event: EventEnvelope): boolean {
  const f = endpoint.filter;
  const link = event.data.link;
  const click = event.data.click;
  if (!f.include_bots && click?.is_bot === true) return false;
  if (!f.include_test && (click?.is_test === true || link?.is_test === true)) return false;
  if (link) {
    if (!anyOf(f.link_ids, link.id)) return false;
    if (f.tags !== undefined && !f.tags.some((t) => link.tags.includes(t))) return false;
    if (f.campaigns !== undefined && (link.campaign === null || !f.campaigns.includes(link.campaign))) return false;
    if (!anyOf(f.domains, link.domain)) return false;
  }
  if (click) {
    if (f.countries !== undefined && (click.country === null || !f.countries.includes(click.country))) return false;
    if (!anyOf(f.devices, click.device)) return false;
    if (f.qr !== undefined && click.is_qr !== f.qr) return false;
  }
  return true;
}

/** The endpoint an endpoint.* event is about (it does not receive news about itself). */
function subjectEndpointId(event: EventEnvelope): string | undefined {
  if (!event.type.startsWith('endpoint.')) return undefined;
  const subject = event.data.endpoint as { id?: unknown } | undefined;
  return typeof subject?.id === 'string' ? subject.id : undefined;
}

/** True when `endpoint` should get a delivery of `event`. */
export function matchEndpoint(endpoint: Endpoint, event: EventEnvelope): boolean {
  if (endpoint.workspaceId !== event.workspace_id) return false;
  if (!endpoint.events.includes(event.type)) return false;
  if (subjectEndpointId(event) === endpoint.id) return false;
  return matchesFilter(endpoint, event);
}
