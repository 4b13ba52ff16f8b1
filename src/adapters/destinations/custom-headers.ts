import type { FieldProblem } from '../../domain/shared/errors.ts';

// Custom headers an HTTP or CRM endpoint may add to every request (typically an
// auth token for the receiver's gateway). They must not be able to change
// what the delivery means or how it is framed: no hop-by-hop headers, nothing
// that overrides our signature, content type, host or length, and no CR/LF
// (header injection). Checked at create/update (422) and again before each
// send, so a row written some other way cannot smuggle one in.

/** RFC 9110 token characters: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Hop-by-hop (RFC 9110 §7.6.1) and framing headers: the connection's business, not the endpoint's. */
const RESERVED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'expect',
  'user-agent',
]);

const MAX_HEADERS = 20;
const MAX_VALUE_LENGTH = 4096;

export function customHeaderProblems(headers: unknown): FieldProblem[] {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== 'object' || Array.isArray(headers)) return [{ field: 'settings.headers', message: 'must be an object of header names to string values' }];
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) return [{ field: 'settings.headers', message: `at most ${MAX_HEADERS} headers` }];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const field = `settings.headers.${name}`;
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) problems.push({ field, message: 'is not a valid header name' });
    else if (RESERVED.has(lower) || lower.startsWith('webhook-') || lower.startsWith('proxy-')) problems.push({ field, message: 'is set by linkhook and cannot be overridden' });
    else if (seen.has(lower)) problems.push({ field, message: 'is given twice (header names are case-insensitive)' });
    else if (typeof value !== 'string') problems.push({ field, message: 'must be a string' });
    else if (/[\r\n\0]/.test(value)) problems.push({ field, message: 'must not contain CR, LF or NUL' });
    else if (value.length > MAX_VALUE_LENGTH) problems.push({ field, message: `must be at most ${MAX_VALUE_LENGTH} characters` });
    seen.add(lower);
  }
  return problems;
}

/** The headers, lower-cased, once customHeaderProblems found nothing. */
export function customHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined || headers === null || typeof headers !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}
