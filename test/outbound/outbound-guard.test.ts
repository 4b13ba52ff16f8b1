import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import { OutboundError } from '../../src/domain/delivery/destination.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { resolverLookup, startDnsServer } from '../helpers/dns-server.ts';

// The SSRF guard against literal addresses (every refused range, every
// encoding of them) and against names answered by a real DNS server on
// loopback. Nothing here connects anywhere.

async function refused(guard: ReturnType<typeof createOutboundGuard>, url: string): Promise<string> {
  const problem = await guard.check(url);
  assert.ok(problem, `${url} should be refused`);
  assert.equal(problem.field, 'url');
  return problem.message;
}

describe('outbound guard: literal addresses', () => {
  const guard = createOutboundGuard([]);

  it('refuses every non-public IPv4 range', async () => {
    const cases: [string, RegExp][] = [
      ['http://10.1.2.3/', /private/],
      ['http://172.16.0.1/', /private/],
      ['http://172.31.255.255/', /private/],
      ['http://192.168.1.1/', /private/],
      ['http://100.64.0.1/', /carrierGradeNat/],
      ['http://127.0.0.1/', /loopback/],
      ['http://127.8.9.10/', /loopback/],
      ['http://169.254.1.1/', /linkLocal/],
      ['http://224.0.0.1/', /multicast/],
      ['http://239.255.255.250/', /multicast/],
      ['http://0.0.0.0/', /unspecified/],
      ['http://255.255.255.255/', /broadcast/],
      ['http://240.0.0.1/', /reserved/],
      ['http://192.0.2.1/', /reserved/], // TEST-NET-1
      ['http://198.51.100.7/', /reserved/], // TEST-NET-2
      ['http://203.0.113.9/', /reserved/], // TEST-NET-3
      ['http://198.18.0.1/', /reserved/], // benchmarking
    ];
    for (const [url, reason] of cases) assert.match(await refused(guard, url), reason, url);
  });

  it('refuses every non-public IPv6 range', async () => {
    const cases: [string, RegExp][] = [
      ['http://[::1]/', /loopback/],
      ['http://[::]/', /unspecified/],
      ['http://[fe80::1]/', /linkLocal/],
      ['http://[fc00::1]/', /uniqueLocal/],
      ['http://[fd12:3456::1]/', /uniqueLocal/],
      ['http://[ff02::1]/', /multicast/],
      ['http://[2001:db8::1]/', /reserved/], // documentation
      ['http://[fec0::1]/', /SiteLocal/],
      ['http://[100::1]/', /discard/],
      ['http://[2001::1]/', /teredo/],
      ['http://[64:ff9b:1::a00:1]/', /rfc6052/], // local-use NAT64 (RFC 8215)
    ];
    for (const [url, reason] of cases) assert.match(await refused(guard, url), reason, url);
  });

  it('refuses cloud metadata addresses by name', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://100.100.100.200/', 'http://169.254.170.2/v2/credentials']) {
      assert.match(await refused(guard, url), /metadata/, url);
    }
  });

  it('sees through decimal, octal, hex and short IPv4 forms (WHATWG URL normalises them)', async () => {
    for (const url of ['http://2130706433/', 'http://0x7f000001/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://017700000001/']) {
      assert.equal(new URL(url).hostname, '127.0.0.1', url);
      assert.match(await refused(guard, url), /127\.0\.0\.1.*loopback/, url);
    }
    assert.equal(new URL('http://0xa9fea9fe/').hostname, '169.254.169.254');
    assert.match(await refused(guard, 'http://0xa9fea9fe/'), /metadata/);
    assert.match(await refused(guard, 'http://0/'), /unspecified/);
  });

  it('judges IPv6 forms that embed an IPv4 address by that address', async () => {
    const blocked = [
      'http://[::ffff:127.0.0.1]/', // IPv4-mapped
      'http://[::ffff:7f00:1]/',
      'http://[::ffff:169.254.169.254]/', // mapped metadata
      'http://[::ffff:10.0.0.1]/',
      'http://[::ffff:0:7f00:1]/', // SIIT (RFC 6145)
      'http://[64:ff9b::127.0.0.1]/', // NAT64 well-known prefix
      'http://[64:ff9b::a9fe:a9fe]/', // NAT64 of metadata
      'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
      'http://[2002:a9fe:a9fe::1]/', // 6to4 of metadata
      'http://[::127.0.0.1]/', // IPv4-compatible (deprecated)
    ];
    for (const url of blocked) await refused(guard, url);
    assert.match(await refused(guard, 'http://[::ffff:169.254.169.254]/'), /metadata/);
    // The same forms of a public address are fine: IPv6-only hosts reach the world through NAT64.
    for (const url of ['http://[64:ff9b::8.8.8.8]/', 'http://[::ffff:8.8.8.8]/', 'http://[2002:808:808::1]/']) {
      assert.equal(await guard.check(url), null, url);
    }
  });

  it('lets public addresses through', async () => {
    for (const url of ['http://8.8.8.8/', 'https://1.1.1.1:8443/x', 'http://[2606:4700:4700::1111]/']) assert.equal(await guard.check(url), null, url);
    assert.equal(await guard.resolveAllowed('[2606:4700:4700::1111]'), '2606:4700:4700::1111');
  });

  it('refuses non-http URLs and unparsable ones', async () => {
    assert.match(await refused(guard, 'ftp://8.8.8.8/'), /http/);
    assert.match(await refused(guard, 'file:///etc/passwd'), /http/);
    assert.match(await refused(guard, 'not a url'), /absolute/);
  });

  it('treats localhost and *.localhost as loopback without asking DNS', async () => {
    assert.match(await refused(guard, 'http://localhost:8080/'), /localhost resolves to 127\.0\.0\.1.*loopback/);
    assert.match(await refused(guard, 'http://LOCALHOST./'), /loopback/);
    assert.match(await refused(guard, 'http://api.localhost/'), /loopback/);
  });
});

describe('outbound guard: LINKHOOK_OUTBOUND_ALLOW ranges', () => {
  it('allows exactly the listed ranges, including their IPv4-mapped forms', async () => {
    const guard = createOutboundGuard(['127.0.0.0/8', '10.20.0.0/16']);
    assert.equal(await guard.check('http://127.0.0.1:9/'), null);
    assert.equal(await guard.check('http://localhost/'), null);
    assert.equal(await guard.check('http://10.20.3.4/'), null);
    assert.equal(await guard.check('http://[::ffff:127.0.0.1]/'), null);
    await refused(guard, 'http://10.21.0.1/');
    await refused(guard, 'http://192.168.0.1/');
    await refused(guard, 'http://[::1]/'); // ::1 is a different range from 127.0.0.0/8
    assert.equal(await createOutboundGuard(['127.0.0.0/8', '::1/128']).check('http://[::1]/'), null);
  });

  it('keeps metadata refused inside an allowed range unless the exact address is listed', async () => {
    const broad = createOutboundGuard(['169.254.0.0/16', '100.64.0.0/10', 'fd00::/8']);
    assert.equal(await broad.check('http://169.254.1.1/'), null);
    assert.match(await refused(broad, 'http://169.254.169.254/'), /metadata/);
    assert.match(await refused(broad, 'http://100.100.100.200/'), /metadata/);
    assert.match(await refused(broad, 'http://[fd00:ec2::254]/'), /metadata/);
    assert.match(await refused(broad, 'http://[::ffff:169.254.169.254]/'), /metadata/);
    const exact = createOutboundGuard(['169.254.169.254/32']);
    assert.equal(await exact.check('http://169.254.169.254/'), null);
  });

  it('refuses to start with a range it cannot parse', () => {
    assert.throws(() => createOutboundGuard(['10.0.0.0/33']), /not a CIDR range/);
    assert.throws(() => createOutboundGuard(['intranet']), /not a CIDR range/);
  });
});

describe('outbound guard: names resolved through a real DNS server', () => {
  let dns: DnsServer;
  before(async () => {
    dns = await startDnsServer({
      a: {
        'public.test': ['93.184.215.14'],
        'private.test': ['10.0.0.5'],
        'loop.test': ['127.0.0.1'],
        'meta.test': ['169.254.169.254'],
        'mixed.test': ['93.184.215.14'],
      },
      aaaa: { 'mixed.test': ['fd00::1'], 'v6only.test': ['::ffff:192.168.0.1'] },
    });
  });
  after(() => dns.close());

  it('refuses a name if any of its A/AAAA answers is not public', async () => {
    const guard = createOutboundGuard([], { lookup: resolverLookup(dns.address) });
    assert.equal(await guard.check('https://public.test/hook'), null);
    assert.equal(await guard.resolveAllowed('public.test'), '93.184.215.14');
    assert.match(await refused(guard, 'https://private.test/'), /private\.test resolves to 10\.0\.0\.5.*private/);
    assert.match(await refused(guard, 'https://meta.test/'), /metadata/);
    assert.match(await refused(guard, 'https://mixed.test/'), /fd00::1.*uniqueLocal/);
    assert.match(await refused(guard, 'https://v6only.test/'), /private/);
  });

  it('allows a name resolving to loopback only with the allow list', async () => {
    const strict = createOutboundGuard([], { lookup: resolverLookup(dns.address) });
    await assert.rejects(strict.resolveAllowed('loop.test'), (err: unknown) => err instanceof OutboundError && err.errorClass === 'blocked');
    const allowing = createOutboundGuard(['127.0.0.0/8'], { lookup: resolverLookup(dns.address) });
    assert.equal(await allowing.resolveAllowed('loop.test'), '127.0.0.1');
  });

  it('reports a name that does not exist as a url problem and as a dns error', async () => {
    const guard = createOutboundGuard([], { lookup: resolverLookup(dns.address) });
    assert.match(await refused(guard, 'https://missing.test/'), /does not resolve/);
    await assert.rejects(guard.resolveAllowed('missing.test'), (err: unknown) => err instanceof OutboundError && err.errorClass === 'dns');
  });
});
