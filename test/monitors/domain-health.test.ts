import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:tls';
import type { Server } from 'node:tls';
import { createDnsResolver } from '../../src/adapters/dns/create-dns-resolver.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import { createTlsProbe } from '../../src/adapters/tls/create-tls-probe.ts';
import type { CustomDomain } from '../../src/domain/domains/custom-domain.ts';
import type { DomainHealthDeps } from '../../src/domain/rules/evaluators/domain-health-evaluator.ts';
import { createDomainHealthEvaluator } from '../../src/domain/rules/evaluators/domain-health-evaluator.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { resolverLookup, startDnsServer } from '../helpers/dns-server.ts';
import type { MonitorWorld } from './monitor-fixtures.ts';
import { observationOf, openWorld } from './monitor-fixtures.ts';

// Domain health against a real loopback DNS server and real TLS servers on
// 127.0.0.1 whose self-signed certificates (made here with the openssl CLI)
// expire in 5 and in 90 days. The probe reaches them through the SSRF guard
// (allowed to 127.0.0.0/8) and the loopback DNS, as it would reach a customer's
// domain in production.

const TOKEN = 'tok_abc123';

function selfSigned(dir: string, name: string, days: number): { key: Buffer; cert: Buffer } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-subj', `/CN=${name}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

async function tlsServer(creds: { key: Buffer; cert: Buffer }): Promise<{ server: Server; port: number }> {
  const server = createServer(creds, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('domain health', { skip: !hasOpenssl() && 'openssl is not available to make certificates' }, () => {
  let dns: DnsServer;
  let dir: string;
  let w: MonitorWorld;
  const servers: Server[] = [];
  const ports: { soon: number; later: number } = { soon: 0, later: 0 };

  function domain(hostname: string, status: CustomDomain['status'] = 'verified'): CustomDomain {
    const now = w.clock.now().toISOString();
    return { id: newId('domain'), workspaceId: w.workspaceId, hostname, status, verificationToken: TOKEN, fallbackUrl: null, lastCheckMessage: null, lastCheckedAt: null, verifiedAt: now, createdAt: now };
  }

  function deps(port: number): DomainHealthDeps {
    const guard = createOutboundGuard(['127.0.0.0/8'], { lookup: resolverLookup(dns.address) });
    return { dns: createDnsResolver([dns.address]), tls: createTlsProbe({ guard, timeoutMs: 5000, port }), cnameTarget: 'cname.lnk.test', customDomainScheme: 'https' };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkhook-tls-'));
    const soon = await tlsServer(selfSigned(dir, 'go.brand.test', 5));
    const later = await tlsServer(selfSigned(dir, 'go.brand.test', 90));
    servers.push(soon.server, later.server);
    ports.soon = soon.port;
    ports.later = later.port;
    dns = await startDnsServer({
      txt: { '_linkhook.go.brand.test': [`linkhook-verify=${TOKEN}`] },
      cname: { 'links.shop.test': 'cname.lnk.test' },
      a: { 'go.brand.test': ['127.0.0.1'], 'cname.lnk.test': ['127.0.0.1'] },
    });
    w = await openWorld('sqlite', new Date().toISOString());
    await w.storage.domains.insert(domain('go.brand.test'));
    await w.storage.domains.insert(domain('links.shop.test'));
    await w.storage.domains.insert(domain('pending.brand.test', 'pending'));
  });

  after(async () => {
    for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
    await dns.close();
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is quiet while DNS points at linkhook and the certificate has time left', async () => {
    const obs = await createDomainHealthEvaluator(deps(ports.later)).evaluate(w.ctx(w.rule({ type: 'domain_health' }), []));
    assert.deepEqual(obs.map((o) => o.subject).sort(), ['go.brand.test:dns', 'go.brand.test:tls', 'links.shop.test:dns', 'links.shop.test:tls'], 'pending domains are not watched');
    assert.equal(observationOf(obs, 'go.brand.test:dns').firing, false);
    assert.equal(observationOf(obs, 'links.shop.test:dns').firing, false, 'a CNAME to the target counts');
    const tls = observationOf(obs, 'go.brand.test:tls');
    assert.equal(tls.firing, false, tls.summary);
    assert.ok((tls.value ?? 0) >= 88);
  });

  it('fires when the certificate expires within tls_days', async () => {
    const evaluator = createDomainHealthEvaluator(deps(ports.soon));
    const obs = await evaluator.evaluate(w.ctx(w.rule({ type: 'domain_health' }, { domain: 'go.brand.test' }), []));
    assert.deepEqual(obs.map((o) => o.subject).sort(), ['go.brand.test:dns', 'go.brand.test:tls'], 'the scope names one domain');
    const tls = observationOf(obs, 'go.brand.test:tls');
    assert.equal(tls.firing, true);
    assert.match(tls.summary, /expires in [45] days/);
    // With a 3-day threshold the same certificate is fine.
    const relaxed = await evaluator.evaluate(w.ctx(w.rule({ type: 'domain_health', tls_days: 3 }, { domain: 'go.brand.test' }), []));
    assert.equal(observationOf(relaxed, 'go.brand.test:tls').firing, false);
  });

  it('fires when DNS no longer points at linkhook, and when no TLS handshake is possible', async () => {
    dns.set({ txt: { '_linkhook.go.brand.test': ['linkhook-verify=someone-else'] }, cname: { 'links.shop.test': 'other-shortener.example' }, a: { 'go.brand.test': ['127.0.0.1'] } });
    const closed = await tlsServer(selfSigned(dir, 'closed', 30));
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const obs = await createDomainHealthEvaluator(deps(closed.port)).evaluate(w.ctx(w.rule({ type: 'domain_health' }), []));
    const gone = observationOf(obs, 'go.brand.test:dns');
    assert.equal(gone.firing, true);
    assert.match(gone.summary, /no longer points at linkhook/);
    assert.match(gone.summary, /someone-else/);
    assert.equal(observationOf(obs, 'links.shop.test:dns').firing, true);
    const tls = observationOf(obs, 'go.brand.test:tls');
    assert.equal(tls.firing, true);
    assert.equal(tls.details?.error_class, 'connect');
    assert.equal(observationOf(obs, 'links.shop.test:tls').details?.error_class, 'dns', 'links.shop.test has no address any more');
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
