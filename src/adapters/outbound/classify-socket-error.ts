import { OutboundError } from '../../domain/delivery/destination.ts';

// Node socket/TLS/parser errors -> the attempt log's error classes. The class
// is what an operator filters on ("which endpoints have TLS problems?"), and
// the message keeps node's code so nothing is lost.

/** OpenSSL verification failures node reports by code (subset; the /CERT/ test catches the rest). */
const TLS_CODES = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
]);

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

function codeOf(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

export function classifySocketError(err: unknown, host: string): OutboundError {
  if (err instanceof OutboundError) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const detail = code && !message.includes(code) ? `${code}: ${message}` : message;
  if (code && (TLS_CODES.has(code) || /CERT|SSL|TLS/.test(code))) return new OutboundError('tls', `TLS with ${host} failed: ${detail}`);
  if (code && DNS_CODES.has(code)) return new OutboundError('dns', `DNS for ${host} failed: ${detail}`);
  if (code === 'ETIMEDOUT') return new OutboundError('timeout', `connection to ${host} timed out: ${detail}`);
  if (code?.startsWith('HPE_')) return new OutboundError('connect', `${host} sent an invalid HTTP response: ${detail}`);
  // ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH, EPIPE, "socket hang up"...
  return new OutboundError('connect', `connection to ${host} failed: ${detail}`);
}
