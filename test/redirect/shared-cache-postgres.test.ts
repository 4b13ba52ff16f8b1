import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { createLink } from '../../src/domain/links/create-link.ts';
import { updateLink } from '../../src/domain/links/update-link.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';
import type { Linkhook } from '../../src/entrypoints/create-linkhook.ts';
import { createLinkhook } from '../../src/entrypoints/create-linkhook.ts';
import type { TestDatabase } from '../helpers/test-storage.ts';
import { createTestDatabase } from '../helpers/test-storage.ts';
import { httpRequest } from './http-request.ts';

// Two server processes' worth of linkhook on one PostgreSQL: a change made
// through one must reach the other's redirect cache (LISTEN/NOTIFY), long
// before the cache TTL (60 s) would have refreshed it.

let database: TestDatabase;
let dataDir: string;
const servers: { lh: Linkhook; url: string }[] = [];

before(async () => {
  database = await createTestDatabase('postgres');
  dataDir = mkdtempSync(join(tmpdir(), 'linkhook-shared-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LINKHOOK_DATA_DIR: dataDir, LINKHOOK_LOG_LEVEL: 'silent' });
  for (let i = 0; i < 2; i++) {
    const lh = await createLinkhook(config, { storage: await database.open() });
    servers.push({ lh, url: (await lh.listen()).replace('0.0.0.0', '127.0.0.1') });
  }
});
after(async () => {
  for (const s of servers) await s.lh.close();
  await database.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Polls until the redirect changes; the notification is asynchronous but bounded by the test timeout, not a sleep. */
async function locationEventually(url: string, expected: string): Promise<string | undefined> {
  let location: string | undefined;
  for (let i = 0; i < 200; i++) {
    location = (await httpRequest(url)).headers.location;
    if (location === expected) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return location;
}

it('drops a changed link from every server sharing the database', { timeout: 15_000 }, async () => {
  const [a, b] = servers;
  assert.ok(a && b);
  const { config } = b.lh;
  const deps = { storage: b.lh.storage, clock: systemClock, defaultHost: config.defaultHost, baseUrl: config.baseUrl, customDomainScheme: config.customDomainScheme };
  const ws = await ensureWorkspace(b.lh.storage, systemClock);
  // A caches "not found" first, then the link is created through B.
  assert.equal((await httpRequest(`${a.url}/shared`)).status, 404);
  const link = await createLink(deps, ws.id, { url: 'https://example.com/v1', slug: 'shared' });
  assert.equal(await locationEventually(`${a.url}/shared`, 'https://example.com/v1'), 'https://example.com/v1');
  await updateLink(deps, ws.id, link.id, { url: 'https://example.com/v2' });
  assert.equal(await locationEventually(`${a.url}/shared`, 'https://example.com/v2'), 'https://example.com/v2');
});
