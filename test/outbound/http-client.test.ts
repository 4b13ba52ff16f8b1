import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import { OutboundError } from '../../src/domain/delivery/destination.ts';
import type { DnsServer } from '../helpers/dns-server.ts';
import { resolverLookup, startDnsServer } from '../helpers/dns-server.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, startReceiver } from '../helpers/http-receiver.ts';

// The guarded client against real receivers on 127.0.0.1. `hook.test` is a
// name only the loopback DNS server knows: when a request to it arrives, the
// client connected to the address the guard checked — the machine's own
// resolver, asked a second time, would not have found the name at all.

const LOOPBACK = ['127.0.0.0/8'];

function isClass(errorClass: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof OutboundError, String(err));
    assert.equal(err.errorClass, errorClass, err.message);
    return true;
  };
}

describe('guarded HTTP client', () => {
  let dns: DnsServer;
  let receiver: HttpReceiver;
  let target: HttpReceiver;
  const clients: { close(): void }[] = [];

  function client(allow: string[], opts: { totalTimeoutMs?: number; maxBodyBytes?: number } = {}) {
    const c = createHttpClient({
      guard: createOutboundGuard(allow, { lookup: resolverLookup(dns.address) }),
      connectTimeoutMs: 5000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 5000,
      maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024,
    });
    clients.push(c);
    return c;
  }

  before(async () => {
    dns = await startDnsServer({ a: { 'hook.test': ['127.0.0.1'] } });
    receiver = await startReceiver();
    target = await startReceiver();
  });
  after(async () => {
    for (const c of clients) c.close();
    await Promise.all([dns.close(), receiver.close(), target.close()]);
  });

  it('sends the request and returns status, headers, body and duration', async () => {
    receiver.handle(answer(201, 'created', { 'x-receiver': 'yes' }));
    const res = await client(LOOPBACK).request({ method: 'POST', url: `${receiver.url}/in?a=1`, headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
    assert.equal(res.status, 201);
    assert.equal(res.body, 'created');
    assert.equal(res.headers['x-receiver'], 'yes');
    assert.ok(res.durationMs >= 0);
    const got = receiver.requests.at(-1);
    assert.equal(got?.method, 'POST');
    assert.equal(got?.path, '/in?a=1');
    assert.equal(got?.body, '{"x":1}');
    assert.equal(got?.headers['content-length'], '7');
  });

  it('refuses loopback without the allow list: the receiver never sees a request', async () => {
    const before = receiver.requests.length;
    await assert.rejects(client([]).request({ method: 'POST', url: `${receiver.url}/x`, headers: {}, body: '{}' }), isClass('blocked'));
    await assert.rejects(client([]).request({ method: 'POST', url: `http://hook.test:${receiver.port}/x`, headers: {}, body: '{}' }), isClass('blocked'));
    await assert.rejects(client([]).request({ method: 'GET', url: `http://localhost:${receiver.port}/x`, headers: {} }), isClass('blocked'));
    await assert.rejects(client([]).request({ method: 'GET', url: `http://2130706433:${receiver.port}/x`, headers: {} }), isClass('blocked'));
    assert.equal(receiver.requests.length, before);
  });

  it('connects to the checked address of a name, keeping the name for Host', async () => {
    receiver.handle(answer(200, 'ok'));
    const res = await client(LOOPBACK).request({ method: 'POST', url: `http://hook.test:${receiver.port}/named`, headers: {}, body: 'hi' });
    assert.equal(res.status, 200);
    const got = receiver.requests.at(-1);
    assert.equal(got?.path, '/named');
    assert.equal(got?.headers.host, `hook.test:${receiver.port}`);
  });

  it('does not follow redirects: a 302 comes back as is and its Location gets nothing', async () => {
    receiver.handle(answer(302, '', { location: `${target.url}/stolen` }));
    const res = await client(LOOPBACK).request({ method: 'POST', url: `${receiver.url}/r`, headers: {}, body: '{}' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, `${target.url}/stolen`);
    assert.equal(target.requests.length, 0);
  });

  it('gives up on a receiver that never answers, as a timeout', async () => {
    receiver.handle(() => undefined); // holds the request forever
    await assert.rejects(client(LOOPBACK, { totalTimeoutMs: 300 }).request({ method: 'POST', url: `${receiver.url}/silent`, headers: {}, body: '{}' }), isClass('timeout'));
  });

  it('gives up on a body that never ends, as a timeout', async () => {
    receiver.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    await assert.rejects(client(LOOPBACK, { totalTimeoutMs: 300 }).request({ method: 'GET', url: `${receiver.url}/drip`, headers: {} }), isClass('timeout'));
  });

  it('reads an endless body only up to the cap, then hangs up', async () => {
    let closed = false;
    receiver.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => (closed = true));
      pump();
      void req;
    });
    const res = await client(LOOPBACK, { maxBodyBytes: 1000 }).request({ method: 'GET', url: `${receiver.url}/endless`, headers: {} });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'x'.repeat(1000));
    await new Promise<void>((resolve) => {
      const wait = (): void => (closed ? resolve() : void setImmediate(wait));
      wait();
    });
    assert.ok(closed, 'the receiver saw the connection closed');
  });

  it('classifies refused connections and unknown names', async () => {
    const gone = await startReceiver();
    const port = gone.port;
    await gone.close();
    await assert.rejects(client(LOOPBACK).request({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }), isClass('connect'));
    await assert.rejects(client(LOOPBACK).request({ method: 'GET', url: 'http://missing.test/', headers: {} }), isClass('dns'));
    await assert.rejects(client(LOOPBACK).request({ method: 'GET', url: 'gopher://hook.test/', headers: {} }), isClass('config'));
  });

  it('verifies TLS certificates against the name, and classifies a bad one as tls', async (t) => {
    let dir: string;
    try {
      dir = mkdtempSync(join(tmpdir(), 'lh-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=hook.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not available to make a self-signed certificate');
      return;
    }
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('secret'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // Self-signed: not trusted, so the request fails before any byte of it is sent.
      await assert.rejects(client(LOOPBACK).request({ method: 'GET', url: `https://hook.test:${port}/`, headers: {} }), isClass('tls'));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
