import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../helpers/test-storage.ts';
import { createTestDatabase } from '../helpers/test-storage.ts';

// One SQLite file, several processes (the server and `linkhook links import`):
// real child processes, because better-sqlite3 waits for a lock synchronously
// and two connections in one process would block each other's event loop.

const WRITER = fileURLToPath(new URL('./sqlite-writer-process.ts', import.meta.url));
const PROCESSES = 3;
const ROUNDS = 40;

function runWriter(file: string): Promise<{ secret: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(ROUNDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`writer exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as { secret: string });
    });
  });
}

void describe('SQLite storage shared by several processes', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite');
  });
  after(async () => {
    await database.cleanup();
  });

  void it('migrate at once, write concurrently without SQLITE_BUSY, lose nothing and agree on the secret', async () => {
    // The file does not exist yet: every process races to create and migrate it.
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => runWriter(database.name)));
    const storage = await database.open();
    const ws = await storage.workspaces.getBySlug('default');
    assert.ok(ws, 'one default workspace, created by whichever process came first');
    const links = await storage.links.list(ws.id, {}, { limit: PROCESSES * ROUNDS + 10 });
    assert.equal(links.items.length, PROCESSES * ROUNDS);
    assert.equal(await storage.clicks.countAll(), PROCESSES * ROUNDS * 50);
    const secret = await storage.instanceSecret();
    assert.deepEqual(results.map((r) => r.secret), Array.from({ length: PROCESSES }, () => secret));
  });
});
