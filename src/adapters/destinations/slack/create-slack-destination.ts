import type { Destination, HttpClient, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import { configFailure, maskWebhookUrl, sendHttpRequest, USER_AGENT } from '../send-http-request.ts';
import { validateEndpointUrl } from '../validate-endpoint-url.ts';
import { renderSlackMessage } from './render-slack-message.ts';

// `slack`: a Block Kit message to an incoming-webhook URL. Slack answers
// errors as plain-text codes (api.slack.com/messaging/webhooks#handling_errors):
//   400 invalid_payload / invalid_blocks / no_text  — our message; retrying sends the same
//   403 invalid_token / action_prohibited            — the app or token was revoked
//   404 no_service / channel_not_found / no_team     — the webhook no longer exists
//   410 channel_is_archived                          — gone: the endpoint is disabled
// all permanent; 429 and 5xx are retried (Slack sends Retry-After with 429).
// The webhook URL is itself the credential, so the attempt log shows it
// with the secret path segment masked.

const PERMANENT = new Set([400, 403, 404]);

export function createSlackDestination(http: HttpClient): Destination {
  return {
    kind: 'slack',

    validate(endpoint) {
      return validateEndpointUrl(endpoint.url, { httpsOnly: true });
    },

    async send(ctx: SendContext): Promise<SendResult> {
      const url = ctx.endpoint.url;
      if (!url) return configFailure('slack endpoint has no webhook url');
      const body = JSON.stringify(renderSlackMessage(ctx.event));
      return sendHttpRequest(
        http,
        { method: 'POST', url, headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT }, body },
        { permanent: (status) => PERMANENT.has(status), logUrl: maskWebhookUrl(url) },
      );
    },
  };
}
