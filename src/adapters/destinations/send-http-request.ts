import { readFileSync } from 'node:fs';
import type { AttemptRequest, HttpClient, SendResult } from '../../domain/delivery/destination.ts';
import { MAX_LOGGED_BODY_BYTES, OutboundError } from '../../domain/delivery/destination.ts';

// One HTTP attempt for any HTTP-based destination (http, slack, teams,
// pagerduty, crm, github, jira): send through the guarded client, then turn
// the answer into a SendResult the delivery engine acts on. The mapping is
// the same for every kind, except which other 4xx are permanent:
//
//   2xx                 ok
//   3xx                 failure 'redirect' (never followed), retried
//   410                 'gone': the engine disables the endpoint; permanent
//   429, 5xx            retried, honouring Retry-After (seconds or HTTP-date)
//   other 4xx           kind.permanent(status, body) ? permanent : retried
//   blocked/dns/connect/tls/timeout   OutboundError's class, retried
//   config              (bad URL, missing setting) permanent
//
// The attempt log gets the request with secrets redacted and both bodies
// capped at MAX_LOGGED_BODY_BYTES.

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
export const USER_AGENT = `linkhook-webhooks/${pkg.version ?? '0.0.0'}`;

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface SendPolicy {
  /** Whether a 4xx other than 410/429 means "this will never work": no retries. */
  permanent(status: number, body: string): boolean;
  /** What the attempt log shows instead of the URL (when the URL is itself a credential, e.g. Slack's). */
  logUrl?: string;
  /** What the attempt log shows instead of the body (when the body carries a key, e.g. PagerDuty's). */
  logBody?: string;
  /** For Retry-After HTTP-dates; defaults to the wall clock. */
  now?: () => number;
}

/** Header names whose values are credentials, whatever the receiver calls them. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|api[-_]?key|password|signature-key/i;

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADER.test(k) ? '[redacted]' : v;
  return out;
}

/**
 * For webhook URLs that are themselves the credential (Slack, Teams): the
 * last path segment and the query masked.
 * https://hooks.slack.com/services/T0/B0/XXXX -> https://hooks.slack.com/services/T0/B0/****
 */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const parts = u.pathname.split('/');
    const last = parts.length - 1;
    if (last > 0 && (parts[last] ?? '') !== '') parts[last] = '****';
    u.pathname = parts.join('/');
    u.search = u.search === '' ? '' : '?****';
    return u.toString();
  } catch {
    return '****';
  }
}

/** At most `max` bytes of UTF-8 (a multi-byte character cut in half becomes U+FFFD). */
export function capBody(body: string, max: number = MAX_LOGGED_BODY_BYTES): string {
  if (body.length * 3 <= max) return body; // cheap path: cannot exceed max bytes
  const buf = Buffer.from(body, 'utf8');
  return buf.length <= max ? body : buf.subarray(0, max).toString('utf8');
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function statusMeaning(status: number): string {
  if (status >= 300 && status < 400) return 'a redirect, which is not followed';
  if (status === 410) return 'gone: the endpoint will be disabled';
  if (status === 429) return 'rate limited';
  return status >= 500 ? 'a server error' : 'a client error';
}

export async function sendHttpRequest(http: HttpClient, req: OutgoingRequest, policy: SendPolicy): Promise<SendResult> {
  const body = req.body ?? '';
  const request: AttemptRequest = {
    method: req.method,
    url: policy.logUrl ?? req.url,
    headers: redactHeaders(req.headers),
    body: capBody(policy.logBody ?? body),
  };
  const started = performance.now();
  let res: Awaited<ReturnType<HttpClient['request']>>;
  try {
    res = await http.request(req);
  } catch (err) {
    const durationMs = Math.round(performance.now() - started);
    if (err instanceof OutboundError) {
      return { ok: false, request, response: null, durationMs, errorClass: err.errorClass, error: err.message, permanent: err.errorClass === 'config' };
    }
    return { ok: false, request, response: null, durationMs, errorClass: 'internal', error: err instanceof Error ? err.message : String(err) };
  }

  const response = { status: res.status, headers: res.headers, body: capBody(res.body) };
  const base = { request, response, durationMs: res.durationMs };
  const s = res.status;
  if (s >= 200 && s < 300) return { ...base, ok: true, errorClass: null, error: null };

  const error = `receiver answered ${s} (${statusMeaning(s)})${s >= 300 && s < 400 && res.headers.location ? ` to ${res.headers.location}` : ''}`;
  if (s >= 300 && s < 400) return { ...base, ok: false, errorClass: 'redirect', error };
  if (s === 410) return { ...base, ok: false, errorClass: 'http_status', error, gone: true, permanent: true };
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], policy.now?.() ?? Date.now());
  const retry = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (s === 429 || s >= 500) return { ...base, ok: false, errorClass: 'http_status', error, ...retry };
  const permanent = s >= 400 && s < 500 && policy.permanent(s, res.body);
  return { ...base, ok: false, errorClass: 'http_status', error, permanent, ...retry };
}

/** For destinations whose settings cannot work: a permanent 'config' failure without any request. */
export function configFailure(error: string): SendResult {
  return { ok: false, request: null, response: null, durationMs: 0, errorClass: 'config', error, permanent: true };
}
