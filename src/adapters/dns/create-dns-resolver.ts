import { Resolver } from 'node:dns/promises';
import type { DnsResolver } from '../../domain/ports.ts';

// DNS answers for custom-domain verification (TXT token or CNAME to our
// host). Verification is user-facing ("Verify" button, periodic re-checks),
// so the two outcomes that matter are kept apart:
//
// - "the record is not there" (NXDOMAIN, or the name exists without that
//   type: ENODATA) is a normal answer: [] -> status "pending", with a hint.
// - "we could not ask" (timeout, SERVFAIL, refused, no network) throws with
//   the hostname and code, so the user is not told their record is missing
//   when the resolver is down.

/**
 * The whole lookup, retries included, so "Verify" answers within seconds even
 * when a nameserver drops packets. Measured here against a silent server:
 * c-ares configured with a 200 ms timeout gave up after 0.4 s with one try
 * and 0.8 s with two (it backs off), so it gets a quarter of the budget per
 * attempt with two attempts, and the deadline below is the backstop.
 */
const DEFAULT_TIMEOUT_MS = 5_000;
const TRIES = 2;

/** Codes c-ares uses for "no such record", as opposed to "could not ask". */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'NODATA']);

export interface DnsResolverOptions {
  /** Milliseconds one lookup may take in total before it fails. */
  timeoutMs?: number;
}

function codeOf(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** "Example.COM." and "example.com" are the same name; compare them as such. */
function normalizeName(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/**
 * `servers` are "ip" or "ip:port" (IPv6 as "[::1]:53"); without them the
 * system's resolvers (/etc/resolv.conf) are used.
 */
export function createDnsResolver(servers?: string[], options: DnsResolverOptions = {}): DnsResolver {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const via = servers && servers.length > 0 ? servers.join(', ') : 'the system resolvers';

  // A resolver per query: cancel() at the deadline then only cancels that
  // query, and verification is rare enough (a click on "Verify", a periodic
  // check) that setting up a c-ares channel each time does not matter.
  function resolver(): Resolver {
    const r = new Resolver({ timeout: Math.max(1, Math.ceil(timeoutMs / 4)), tries: TRIES });
    if (servers && servers.length > 0) r.setServers(servers);
    return r;
  }

  async function ask<T>(kind: string, hostname: string, query: (r: Resolver, name: string) => Promise<T[]>): Promise<T[]> {
    const name = normalizeName(hostname);
    if (name === '') throw new Error(`DNS ${kind} lookup needs a hostname`);
    const r = resolver();
    const deadline = setTimeout(() => r.cancel(), timeoutMs);
    try {
      return await query(r, name);
    } catch (err) {
      const code = codeOf(err);
      if (code && ABSENT.has(code)) return [];
      const reason =
        code === 'ETIMEOUT' || code === 'ECANCELLED'
          ? `no answer within ${timeoutMs} ms`
          : (code ?? (err instanceof Error ? err.message : String(err)));
      throw new Error(`DNS ${kind} lookup for ${name} via ${via} failed: ${reason}`, { cause: err });
    } finally {
      clearTimeout(deadline);
    }
  }

  return {
    async txt(hostname) {
      // A TXT record is a list of ≤255-byte strings meant to be read as one
      // value (RFC 7208 §3.3); long verification tokens arrive split.
      const records = await ask('TXT', hostname, (r, name) => r.resolveTxt(name));
      return records.map((chunks) => chunks.join(''));
    },
    async cname(hostname) {
      const targets = await ask('CNAME', hostname, (r, name) => r.resolveCname(name));
      return targets.map(normalizeName);
    },
  };
}
