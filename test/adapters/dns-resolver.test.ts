import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { createDnsResolver } from '../../src/adapters/dns/create-dns-resolver.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { startDnsServer } from '../helpers/dns-server.ts';

// node's resolver (c-ares) talking UDP to a real DNS server on loopback.

const LONG_TOKEN = `linkhook-verify=${'a1b2c3d4'.repeat(40)}`; // 336 bytes: sent as two TXT strings

describe('createDnsResolver against a loopback DNS server', () => {
  let server: DnsServer;
  before(async () => {
    server = await startDnsServer({
      txt: { '_linkhook.go.example.com': ['linkhook-verify=abc123', LONG_TOKEN], 'bare.example.com': ['v=spf1 -all'] },
      cname: { 'go.example.com': 'cname.linkhook.test', 'alias.example.com': 'go.example.com' },
    });
  });
  after(() => server.close());

  it('returns every TXT record as one string, joining the 255-byte chunks of long ones', async () => {
    const txt = await createDnsResolver([server.address]).txt('_linkhook.go.example.com');
    assert.deepEqual(txt.sort(), ['linkhook-verify=abc123', LONG_TOKEN].sort());
  });

  it('returns CNAME targets, lower-cased without the root dot', async () => {
    const dns = createDnsResolver([server.address]);
    assert.deepEqual(await dns.cname('go.example.com'), ['cname.linkhook.test']);
    assert.deepEqual(await dns.cname('GO.Example.com.'), ['cname.linkhook.test']);
    assert.deepEqual(await dns.cname('alias.example.com'), ['go.example.com']);
  });

  it('answers [] for a name that does not exist (NXDOMAIN)', async () => {
    const dns = createDnsResolver([server.address]);
    assert.deepEqual(await dns.txt('_linkhook.missing.example.com'), []);
    assert.deepEqual(await dns.cname('missing.example.com'), []);
  });

  it('answers [] for a name that exists without that record type (NODATA)', async () => {
    const dns = createDnsResolver([server.address]);
    assert.deepEqual(await dns.cname('bare.example.com'), []);
    assert.deepEqual(await dns.txt('go.example.com'), []);
  });

  it('sees records changed with set() on the next query', async () => {
    const dns = createDnsResolver([server.address]);
    assert.deepEqual(await dns.txt('_linkhook.new.example.com'), []);
    server.set({ txt: { '_linkhook.new.example.com': ['linkhook-verify=later'] } });
    try {
      assert.deepEqual(await dns.txt('_linkhook.new.example.com'), ['linkhook-verify=later']);
      assert.deepEqual(await dns.cname('go.example.com'), [], 'set() replaces, not merges');
    } finally {
      server.set({
        txt: { '_linkhook.go.example.com': ['linkhook-verify=abc123', LONG_TOKEN], 'bare.example.com': ['v=spf1 -all'] },
        cname: { 'go.example.com': 'cname.linkhook.test', 'alias.example.com': 'go.example.com' },
      });
    }
  });
});

describe('createDnsResolver failures', () => {
  it('throws a clear error within the deadline when the server never answers', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const started = performance.now();
      const dns = createDnsResolver([`127.0.0.1:${silent.address().port}`], { timeoutMs: 400 });
      await assert.rejects(dns.txt('_linkhook.go.example.com'), /DNS TXT lookup for _linkhook\.go\.example\.com via 127\.0\.0\.1:\d+ failed: no answer within 400 ms/);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1_500, `gave up after ${Math.round(elapsed)} ms`);
    } finally {
      silent.close();
    }
  });

  it('throws, not [], when the server cannot be reached', async () => {
    // Nothing listens on port 1; the kernel answers ICMP port unreachable.
    const dns = createDnsResolver(['127.0.0.1:1'], { timeoutMs: 1_000 });
    await assert.rejects(dns.cname('go.example.com'), /DNS CNAME lookup for go\.example\.com via 127\.0\.0\.1:1 failed: /);
  });

  it('rejects an empty hostname without asking', async () => {
    await assert.rejects(createDnsResolver(['127.0.0.1:1']).txt('  '), /needs a hostname/);
  });
});
