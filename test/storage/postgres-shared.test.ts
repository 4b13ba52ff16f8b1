import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { channelName } from '../../src/adapters/storage/postgres/postgres-notifier.ts';
import type { InvalidationKey, Storage } from '../../src/domain/ports.ts';
import { AppError } from '../../src/domain/shared/errors.ts';
import type { TestDatabase } from '../helpers/test-storage.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../helpers/test-storage.ts';
import { addWorkspace, makeLink } from './fixtures.ts';

// Several server processes sharing one PostgreSQL: each Storage here has its
// own pool and listener connection, exactly as separate processes would.

async function eventually(what: string, attempt: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await attempt()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

void describe('PostgreSQL storage shared by several processes', () => {
  let database: TestDatabase;
  let a: Storage;
  let b: Storage;
  let c: Storage;

  before(async () => {
    database = await createTestDatabase('postgres');
    // Three processes starting at once on an empty schema: the advisory lock serialises migrate().
    [a, b, c] = await Promise.all([database.open(), database.open(), database.open()]);
  });
  after(async () => {
    await database.cleanup();
  });

  void it('agree on one instance secret', async () => {
    const secrets = await Promise.all([a.instanceSecret(), b.instanceSecret(), c.instanceSecret()]);
    assert.equal(new Set(secrets).size, 1);
  });

  void it('let exactly one of two racing inserts take a slug', async () => {
    const ws = await addWorkspace(a);
    const results = await Promise.allSettled([a.links.insert(makeLink(ws.id, { slug: 'race' })), b.links.insert(makeLink(ws.id, { slug: 'race' }))]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected');
    assert.ok(lost && lost.reason instanceof AppError && lost.reason.code === 'slug_taken');
  });

  void it('deliver invalidations to every other process, once in the sender, and survive a dropped listener connection', async () => {
    const atA: InvalidationKey[] = [];
    const atB: InvalidationKey[] = [];
    a.onInvalidate((k) => atA.push(k));
    b.onInvalidate((k) => atB.push(k));
    let n = 0;
    const send = async (): Promise<string> => {
      const slug = `s${++n}`;
      await a.invalidate({ kind: 'link', domain: null, slug });
      return slug;
    };
    // The listener connects in the background: keep sending until one arrives.
    await eventually('b hears a', async () => (await send(), atB.length > 0));
    const slug = await send();
    await eventually('b hears the next one', async () => atB.some((k) => k.kind === 'link' && k.slug === slug));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      atA.map((k) => (k.kind === 'link' ? k.slug : '')),
      Array.from({ length: n }, (_, i) => `s${i + 1}`),
      'the sender hears each of its own invalidations exactly once',
    );

    // Kill b's LISTEN connection server-side, as a PostgreSQL restart or a proxy timeout would.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Only this test's schema: other suites may be listening in the same database.
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'linkhook-invalidation' and query = $1",
        [`listen ${pg.escapeIdentifier(channelName(database.name))}`],
      );
      assert.ok((killed.rowCount ?? 0) >= 1, 'found a listener connection to kill');
    } finally {
      await admin.end();
    }
    const heard = atB.length;
    await eventually('b hears a again after reconnecting', async () => (await send(), atB.length > heard));
  });
});
