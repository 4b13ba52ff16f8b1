import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { OutboundError } from '../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../domain/shared/errors.ts';
import { classifyAddress, parseCidrs } from './classify-address.ts';

// The SSRF guard: every outbound request (webhook deliveries, health checks,
// "send test") asks it first. It resolves the host to ALL its addresses and
// refuses the request if ANY of them is not public (see classify-address.ts)
// unless an operator range (LINKHOOK_OUTBOUND_ALLOW) allows it. "Any", not
// "first": a name answering one public and one private address is either a
// misconfiguration or a rebinding attempt, and which one a client would
// pick is up to the resolver's order.
//
// The address it returns is the one the HTTP client then connects to, with
// no second lookup in between: a DNS answer that changes after the check
// (rebinding, TTL 0) cannot redirect the connection.

export interface OutboundGuard {
  /** Problem with a URL for endpoint create/update (422), or null if it may be used. */
  check(url: string): Promise<FieldProblem | null>;
  /** The address to connect to. Throws OutboundError 'blocked' or 'dns'. */
  resolveAllowed(hostname: string): Promise<string>;
}

export interface OutboundGuardOptions {
  /**
   * How names become addresses. Default: the OS resolver (getaddrinfo, so
   * /etc/hosts and container DNS work as they do for everything else).
   */
  lookup?: (hostname: string) => Promise<string[]>;
}

/** getaddrinfo codes meaning "this name has no address", as opposed to "could not ask". */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

async function systemLookup(hostname: string): Promise<string[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

function codeOf(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** "[::1]" -> "::1", "Example.COM." -> "example.com". */
function normalizeHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/**
 * RFC 6761 §6.3: "localhost" and "*.localhost" are loopback, whatever DNS
 * or /etc/hosts say. They are answered here without asking anyone, as
 * 127.0.0.1 only, so the outcome does not depend on the machine's resolver.
 */
function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

class DnsFailure extends OutboundError {
  readonly noSuchName: boolean;
  constructor(message: string, noSuchName: boolean) {
    super('dns', message);
    this.noSuchName = noSuchName;
  }
}

export function createOutboundGuard(allow: string[], options: OutboundGuardOptions = {}): OutboundGuard {
  const allowed = parseCidrs(allow);
  const lookup = options.lookup ?? systemLookup;

  async function addressesOf(host: string): Promise<string[]> {
    if (isIP(host)) return [host];
    if (isLocalhostName(host)) return ['127.0.0.1'];
    let addresses: string[];
    try {
      addresses = await lookup(host);
    } catch (err) {
      const code = codeOf(err);
      const noSuchName = code !== undefined && NO_SUCH_NAME.has(code);
      throw new DnsFailure(noSuchName ? `${host} does not resolve` : `DNS lookup for ${host} failed: ${code ?? String(err)}`, noSuchName);
    }
    if (addresses.length === 0) throw new DnsFailure(`${host} has no address`, true);
    return addresses;
  }

  async function resolveAllowed(hostname: string): Promise<string> {
    const host = normalizeHost(hostname);
    if (host === '') throw new OutboundError('blocked', 'no host to connect to');
    const addresses = await addressesOf(host);
    for (const address of addresses) {
      const verdict = classifyAddress(address, allowed);
      if (!verdict.allowed) {
        const via = address === host ? '' : ` (${host} resolves to ${address})`;
        throw new OutboundError('blocked', `${address}${via} is not a public address (${verdict.reason}); outbound requests reach private, loopback, link-local and metadata addresses only when LINKHOOK_OUTBOUND_ALLOW names their range`);
      }
    }
    return addresses[0] as string;
  }

  async function check(raw: string): Promise<FieldProblem | null> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { field: 'url', message: 'must be an absolute http:// or https:// URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { field: 'url', message: 'must be an http:// or https:// URL' };
    try {
      // WHATWG parsing already turned 2130706433, 0x7f.1 and 0177.0.0.1 into
      // 127.0.0.1, so hostname is what a client would connect to.
      await resolveAllowed(url.hostname);
      return null;
    } catch (err) {
      if (err instanceof DnsFailure) {
        // A name that does not exist is a typo worth a 422; a resolver
        // hiccup is not the user's fault, and every delivery checks again.
        return err.noSuchName ? { field: 'url', message: err.message } : null;
      }
      if (err instanceof OutboundError) return { field: 'url', message: err.message };
      throw err;
    }
  }

  return { check, resolveAllowed };
}
