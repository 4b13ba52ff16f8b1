import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../../domain/shared/errors.ts';
import { configFailure, sendHttpRequest, USER_AGENT } from '../send-http-request.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { renderPagerDutyEvent } from './render-pagerduty-event.ts';

// `pagerduty`: Events API v2. settings.routing_key is the integration key of
// a PagerDuty service; the URL is the endpoint's `url`, else settings.url,
// else PagerDuty's (EU accounts use events.eu.pagerduty.com).
//
// PagerDuty answers 202 when it accepted the event. 400 means the event is
// invalid (bad routing key, missing field): sending it again cannot help, so
// it is permanent, and so is 413 (too large). 429 and 5xx are retried; other
// 4xx are retried too (an unexpected 401/404 from a proxy in between is
// usually transient). The routing key is masked in the attempt log.

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const PERMANENT = new Set([400, 413]);

function routingKeyOf(settings: Record<string, unknown>): string | null {
  const k = settings.routing_key;
  return typeof k === 'string' && k.trim() !== '' ? k.trim() : null;
}

function urlOf(endpoint: { url: string | null; settings: Record<string, unknown> }): string {
  const fromSettings = typeof endpoint.settings.url === 'string' && endpoint.settings.url !== '' ? endpoint.settings.url : null;
  return endpoint.url ?? fromSettings ?? PAGERDUTY_EVENTS_URL;
}

function mask(key: string): string {
  return `****${key.slice(-4)}`;
}

export function createPagerDutyDestination(http: HttpClient): Destination {
  return {
    kind: 'pagerduty',

    validate(endpoint) {
      const problems: FieldProblem[] = [...validateEndpointUrl(endpoint.url, { httpsOnly: true, optional: true })];
      const settingsUrl = endpoint.settings.url;
      if (settingsUrl !== undefined) {
        problems.push(...(typeof settingsUrl === 'string' ? validateEndpointUrl(settingsUrl, { httpsOnly: true }, 'settings.url') : [{ field: 'settings.url', message: 'must be a string' }]));
      }
      const key = endpoint.settings.routing_key;
      if (typeof key !== 'string' || key.trim() === '') problems.push({ field: 'settings.routing_key', message: 'is required: the integration key of a PagerDuty service (Events API v2)' });
      else if (!/^[A-Za-z0-9]{20,64}$/.test(key.trim())) problems.push({ field: 'settings.routing_key', message: 'must be the 32-character integration key of an Events API v2 integration' });
      return problems;
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const routingKey = routingKeyOf(ctx.endpoint.settings);
      if (!routingKey) return configFailure('pagerduty endpoint has no settings.routing_key');
      const event = renderPagerDutyEvent(ctx.event, routingKey);
      const body = JSON.stringify(event);
      return sendHttpRequest(
        http,
        { method: 'POST', url: urlOf(ctx.endpoint), headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT }, body },
        { permanent: (status) => PERMANENT.has(status), logBody: JSON.stringify({ ...event, routing_key: mask(routingKey) }) },
      );
    },
  };
}
