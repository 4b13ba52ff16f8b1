import { z } from 'zod';
import { checkDestinationUrl } from '../links/destination-url.ts';
import type { FieldProblem } from '../shared/errors.ts';

// Input rules for custom domains. A hostname is stored in one canonical form
// (lower-case ASCII, IDN labels in punycode) because the redirect path looks
// it up by the Host header, which browsers always send in that form.

const MAX_HOSTNAME_LENGTH = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export type HostnameCheck = { ok: true; hostname: string } | { ok: false; problem: FieldProblem };

/**
 * The canonical hostname of a custom domain as typed, or why it cannot be one.
 * Refused: IP addresses, localhost, single-label names (a bare TLD), anything
 * with a scheme, port or path, and the default short domain itself.
 */
export function checkCustomHostname(raw: unknown, defaultHost: string): HostnameCheck {
  const fail = (message: string): HostnameCheck => ({ ok: false, problem: { field: 'hostname', message } });
  if (typeof raw !== 'string' || raw.trim() === '') return fail('must be a hostname such as go.example.com');
  const typed = raw.trim().replace(/\.$/, '');
  if (typed.startsWith('[') || (typed.includes(':') && /^[0-9a-f:.[\]]+$/i.test(typed))) return fail('must be a hostname, not an IP address');
  if (/[/:@?#\\\s]/.test(typed)) return fail('must be a bare hostname such as go.example.com: no scheme, port, path or spaces');
  if (typed.length > MAX_HOSTNAME_LENGTH * 2) return fail(`must be at most ${MAX_HOSTNAME_LENGTH} characters`);
  let hostname: string;
  try {
    // WHATWG URL does the IDNA mapping (bücher.example → xn--bcher-kva.example)
    // and also canonicalises numeric tricks such as 0x7f.1 → 127.0.0.1.
    hostname = new URL(`http://${typed}/`).hostname;
  } catch {
    return fail('is not a valid hostname');
  }
  if (IPV4.test(hostname)) return fail('must be a hostname, not an IP address');
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return fail('localhost cannot be a custom domain');
  if (hostname.length > MAX_HOSTNAME_LENGTH) return fail(`must be at most ${MAX_HOSTNAME_LENGTH} characters once encoded`);
  const labels = hostname.split('.');
  if (labels.length < 2) return fail('must be a full domain such as go.example.com, not a bare top-level domain');
  if (!labels.every((l) => LABEL.test(l))) return fail('labels must be 1-63 letters, digits or -, not starting or ending with -');
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return fail('the top-level domain cannot be numeric');
  if (hostname === defaultHost.toLowerCase()) return fail(`${hostname} is the default short domain; it is served already`);
  return { ok: true, hostname };
}

const fallbackUrl = z
  .string()
  .transform((v, ctx) => {
    const r = checkDestinationUrl('', v);
    if (r.ok) return r.url;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.problem.message });
    return z.NEVER;
  })
  .nullable();

export const addDomainSchema = z.object({ hostname: z.string().max(1000), fallback_url: fallbackUrl.optional() }).strict();
export type AddDomainInput = z.infer<typeof addDomainSchema>;

export const updateDomainSchema = z.object({ fallback_url: fallbackUrl.optional() }).strict();
export type UpdateDomainInput = z.infer<typeof updateDomainSchema>;
