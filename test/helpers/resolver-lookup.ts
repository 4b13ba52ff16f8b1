import { Resolver } from 'node:dns/promises';

// A `lookup` for the outbound guard that asks one DNS server (the loopback
// test server from dns-server.ts) for A and AAAA records over UDP, so tests
// can give names private, mixed or metadata answers without touching the
// machine's resolver. Names it does not know fail with ENOTFOUND, as
// getaddrinfo would.

export function resolverLookup(server: string): (hostname: string) => Promise<string[]> {
  return async (hostname) => {
    const r = new Resolver({ timeout: 1000, tries: 2 });
    r.setServers([server]);
    const [v4, v6] = await Promise.allSettled([r.resolve4(hostname), r.resolve6(hostname)]);
    const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (addresses.length > 0) return addresses;
    throw v4.status === 'rejected' ? v4.reason : new Error(`no address for ${hostname}`);
  };
}
