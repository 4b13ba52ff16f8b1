import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../../domain/shared/errors.ts';
import { customHeaderProblems, customHeaders } from '../custom-headers.ts';
import { configFailure, sendHttpRequest, USER_AGENT } from '../send-http-request.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { fillString, parseTemplate, placeholderPaths, placeholderProblems, renderTemplate } from './render-crm-template.ts';

// `crm`: the event, reshaped by the endpoint's mapping template, sent as
// JSON to a CRM's API with the endpoint's auth header — e.g. a HubSpot
// timeline event for the contact id kept in the link's metadata:
//
//   url:      https://api.hubapi.com/crm/v3/timeline/events
//   headers:  { "authorization": "Bearer pat-..." }
//   template: { "eventTemplateId": "1234",
//               "objectId": "{{data.link.metadata.hubspot_contact_id}}",
//               "tokens": { "short_url": "{{data.link.short_url}}", "country": "{{data.click.country}}" } }
//
// The URL may carry placeholders in its path and query (never in scheme,
// host or port, so the address checked at creation is the address used),
// each value URL-encoded: PATCH .../contacts/{{data.link.metadata.contact_id}}.
// A URL placeholder without a value in an event fails that delivery
// permanently instead of calling a truncated URL.
//
// 400, 404, 405, 413 and 422 mean the CRM refuses this request as built:
// permanent. 401/403 are retried: a rotated token gets fixed and the
// deliveries waiting in retry then go through.

const METHODS = ['POST', 'PUT', 'PATCH'] as const;
const PERMANENT = new Set([400, 404, 405, 413, 422]);

function urlOf(endpoint: { url: string | null; settings: Record<string, unknown> }): string | null {
  const s = endpoint.settings.url;
  return endpoint.url ?? (typeof s === 'string' && s !== '' ? s : null);
}

function methodOf(settings: Record<string, unknown>): string {
  return typeof settings.method === 'string' ? settings.method.toUpperCase() : 'POST';
}

/** Scheme, host and port as typed, before any placeholder: "https://api.hubapi.com". */
function originPart(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] ?? url;
}

function urlProblems(url: string | null): FieldProblem[] {
  if (url === null) return [{ field: 'url', message: 'is required: the CRM API URL to call' }];
  if (originPart(url).includes('{{')) return [{ field: 'url', message: 'may use placeholders only in its path and query, not in the host' }];
  const problems = placeholderProblems(url, 'url');
  // The URL with every placeholder filled must still be a URL.
  return problems.length > 0 ? problems : validateEndpointUrl(url.replace(/\{\{[^}]*\}\}/g, 'x'));
}

export function createCrmDestination(http: HttpClient): Destination {
  return {
    kind: 'crm',

    validate(endpoint) {
      const problems: FieldProblem[] = [...urlProblems(urlOf(endpoint))];
      const method = endpoint.settings.method;
      if (method !== undefined && (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method.toUpperCase()))) {
        problems.push({ field: 'settings.method', message: `must be one of ${METHODS.join(', ')}` });
      }
      problems.push(...customHeaderProblems(endpoint.settings.headers));
      problems.push(...parseTemplate(endpoint.settings.template).problems);
      return problems;
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const rawUrl = urlOf(ctx.endpoint);
      const { template, problems } = parseTemplate(ctx.endpoint.settings.template);
      const bad = [...urlProblems(rawUrl), ...problems, ...customHeaderProblems(ctx.endpoint.settings.headers)];
      if (rawUrl === null || bad.length > 0) return configFailure(`crm endpoint cannot send: ${bad.map((p) => `${p.field} ${p.message}`).join('; ')}`);

      const missing = placeholderPaths(rawUrl).filter((p) => {
        const v = fillString(`{{${p}}}`, ctx.event);
        return v === null || v === '';
      });
      if (missing.length > 0) return configFailure(`this ${ctx.event.type} event has no value for URL placeholder {{${missing.join('}}, {{')}}}`);
      const url = String(fillString(rawUrl, ctx.event, encodeURIComponent));
      const body = JSON.stringify(renderTemplate(template, ctx.event));
      return sendHttpRequest(
        http,
        {
          method: methodOf(ctx.endpoint.settings),
          url,
          // The endpoint's headers first, so ours (content type, agent, event id) win.
          headers: { ...customHeaders(ctx.endpoint.settings.headers), 'content-type': 'application/json', 'user-agent': USER_AGENT, 'idempotency-key': ctx.webhookId },
          body,
        },
        { permanent: (status) => PERMANENT.has(status) },
      );
    },
  };
}
