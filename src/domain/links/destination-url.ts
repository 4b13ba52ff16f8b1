import type { FieldProblem } from '../shared/errors.ts';
import type { Utm } from './link.ts';
import { UTM_KEYS } from './link.ts';

/**
 * 2,048 is what every browser and proxy in common use accepts in a Location
 * header without truncation; longer destinations are almost always a mistake
 * (a pasted tracking blob) and would break somewhere downstream.
 */
export const MAX_URL_LENGTH = 2048;

// C0 controls, DEL and C1 controls. CR/LF are the header-injection pair, but
// none of these belong in a URL anybody typed.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: FieldProblem };

/**
 * Accepts an absolute http(s) URL and returns it normalised: IDN hosts in
 * punycode, the scheme and host lower-cased. Everything else (javascript:,
 * data:, file:, relative paths, credentials-only tricks) is refused.
 */
export function checkDestinationUrl(field: string, raw: unknown): UrlCheck {
  const fail = (message: string): UrlCheck => ({ ok: false, problem: { field, message } });
  if (typeof raw !== 'string' || raw.trim() === '') return fail('must be a non-empty URL string');
  if (CONTROL_CHARS.test(raw)) return fail('must not contain control characters (CR, LF, tab, NUL...)');
  const trimmed = raw.trim();
  if (trimmed.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return fail('must be an absolute URL such as https://example.com/page');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return fail(`scheme ${parsed.protocol.replace(/:$/, '')} is not allowed; use http or https`);
  }
  if (parsed.hostname === '') return fail('must have a host');
  // WHATWG URL already turned an IDN host into punycode and percent-encoded
  // spaces and non-ASCII path characters; serialising gives the canonical form.
  const url = parsed.toString();
  if (url.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH} characters once encoded`);
  return { ok: true, url };
}

/**
 * The destination with the link's UTM values merged in. A utm_* parameter the
 * destination already carries wins: the person who wrote it meant it.
 */
export function mergeUtm(url: string, utm: Utm): string {
  const keys = UTM_KEYS.filter((k) => utm[k] !== undefined && utm[k] !== '');
  if (keys.length === 0) return url;
  const parsed = new URL(url);
  for (const k of keys) {
    const name = `utm_${k}`;
    if (!parsed.searchParams.has(name)) parsed.searchParams.append(name, utm[k] as string);
  }
  return parsed.toString();
}

/**
 * Query parameters of the incoming short-link request are forwarded to the
 * destination (minus our own markers). Parameters already on the destination
 * are kept; an incoming one with the same name is appended after them.
 */
export function forwardQuery(destination: string, incoming: URLSearchParams): string {
  let any = false;
  for (const _ of incoming) {
    any = true;
    break;
  }
  if (!any) return destination;
  const parsed = new URL(destination);
  for (const [k, v] of incoming) parsed.searchParams.append(k, v);
  return parsed.toString();
}
