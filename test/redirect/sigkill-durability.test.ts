import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openSqlite, seedLinks, spawnLinkhook } from './spawn-linkhook.ts';

// The durability promise, shown the hard way: a real server process under
// concurrent load is SIGKILLed (no shutdown hook runs), and every redirect a
// client received must have its click in the database file afterwards.

const CONNECTIONS = 32;
/** Kill after this many redirects were received, or after KILL_AFTER_MS, whichever comes first. */
const KILL_AT_REDIRECTS = 3000;
const KILL_AFTER_MS = 3000;

const dataDir = mkdtempSync(join(tmpdir(), 'linkhook-sigkill-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it('never loses the click of a redirect the client received, even under SIGKILL', { timeout: 20_000 }, async (t) => {
  const [link] = await seedLinks(dataDir, [{ url: 'https://example.com/durable', slug: 'durable' }]);
  assert.ok(link);
  const server = await spawnLinkhook(dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL('/durable', server.url);

  let redirects = 0;
  let killed = false;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    server.child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, KILL_AFTER_MS);

  // One request at a time per loop: a redirect counts only once its status
  // line has arrived, i.e. once the server wrote it.
  const once = (): Promise<boolean> =>
    new Promise((resolve) => {
      const req = request(target, { agent }, (res) => {
        if (res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400) redirects++;
        if (redirects >= KILL_AT_REDIRECTS) kill();
        res.resume();
        res.on('end', () => resolve(true));
        res.on('error', () => resolve(false));
      });
      req.on('error', () => resolve(false));
      req.end();
    });
  const loop = async (): Promise<void> => {
    while (!killed && (await once()));
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  clearTimeout(timer);
  agent.destroy();
  const exit = await server.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the server died by SIGKILL, mid-load');
  assert.ok(redirects > 0, 'some redirects were served before the kill');

  const storage = await openSqlite(dataDir);
  try {
    const stored = await storage.clicks.countAll();
    t.diagnostic(`redirects received before SIGKILL: ${redirects}; clicks stored: ${stored}`);
    assert.ok(stored >= redirects, `clicks stored (${stored}) >= redirects received (${redirects})`);
  } finally {
    await storage.close();
  }
});
