import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { EndpointSecret } from '../../../domain/delivery/endpoint.ts';
import { signWebhook } from '../../../domain/delivery/sign-webhook.ts';
import { configFailure, sendHttpRequest, USER_AGENT } from '../send-http-request.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { customHeaderProblems, customHeaders } from '../custom-headers.ts';

// `http`: the event envelope as JSON, signed with Standard Webhooks headers,
// POSTed to any URL. Every active secret signs (rotation overlap), the
// webhook-id is the event id on every retry, and webhook-timestamp is the
// time of this attempt (receivers refuse signatures older than 5 minutes, so
// a retry three days later must be signed afresh).
//
// Status policy: every non-2xx except 410 is retried. A 400/401/403/404
// from a generic receiver is usually a deploy or a secret mix-up the
// receiver's owner fixes within the ~3-day retry window, and a webhook
// sender that gives up at the first 4xx loses exactly those events.

/** Secrets that sign now: the current one and a rotated one still in its overlap window. */
export function activeSecrets(secrets: EndpointSecret[], now: number = Date.now()): string[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now).map((s) => s.secret);
}

export function createHttpDestination(http: HttpClient): Destination {
  return {
    kind: 'http',

    validate(endpoint) {
      return [...validateEndpointUrl(endpoint.url), ...customHeaderProblems(endpoint.settings.headers)];
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const { endpoint } = ctx;
      if (!endpoint.url) return configFailure('http endpoint has no url');
      const headerProblems = customHeaderProblems(endpoint.settings.headers);
      if (headerProblems.length > 0) return configFailure(headerProblems.map((p) => `${p.field} ${p.message}`).join('; '));
      const now = Date.now();
      const secrets = activeSecrets(endpoint.secrets, now);
      if (secrets.length === 0) return configFailure('http endpoint has no active signing secret; rotate its secret');

      const body = JSON.stringify(ctx.event);
      const signed = signWebhook({ id: ctx.webhookId, timestamp: Math.floor(now / 1000), body, secrets });
      const headers = {
        ...customHeaders(endpoint.settings.headers),
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...signed,
      };
      return sendHttpRequest(http, { method: 'POST', url: endpoint.url, headers, body }, { permanent: () => false });
    },
  };
}
