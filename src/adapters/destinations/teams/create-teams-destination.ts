import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import { configFailure, maskWebhookUrl, sendHttpRequest, USER_AGENT } from '../send-http-request.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { renderTeamsMessage } from './render-teams-card.ts';

// `teams`: an Adaptive Card to a Teams Workflows webhook URL (the Office 365
// connectors it replaces were retired). A workflow answers 202 Accepted when
// it took the message. Permanent:
//   400 — the flow refused our payload (the same payload would fail again)
//   401/403 — the URL's `sig` was revoked or the flow's owner lost access
//   404 — the flow was deleted
// 429 and 5xx are retried. The URL carries its signature in the query
// string, so the attempt log masks it.

const PERMANENT = new Set([400, 401, 403, 404]);

export function createTeamsDestination(http: HttpClient): Destination {
  return {
    kind: 'teams',

    validate(endpoint) {
      return validateEndpointUrl(endpoint.url, { httpsOnly: true });
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const url = ctx.endpoint.url;
      if (!url) return configFailure('teams endpoint has no workflow url');
      const body = JSON.stringify(renderTeamsMessage(ctx.event));
      return sendHttpRequest(
        http,
        { method: 'POST', url, headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT }, body },
        { permanent: (status) => PERMANENT.has(status), logUrl: maskWebhookUrl(url) },
      );
    },
  };
}
