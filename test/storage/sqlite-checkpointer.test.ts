import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { addWorkspace, makeClick, makeLink } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkhook-ckpt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `rounds` batches of clicks, pausing between them so a background checkpoint can run; returns the WAL size. */
async function walAfterWrites(file: string, checkpointEveryMs: number): Promise<number> {
  const storage = await createSqliteStorage({ file, synchronous: 'NORMAL', backgroundCheckpoint: true, checkpointEveryMs });
  await storage.migrate();
  const ws = await addWorkspace(storage);
  const link = makeLink(ws.id);
  await storage.links.insert(link);
  for (let round = 0; round < 6; round++) {
    await storage.clicks.insertMany(Array.from({ length: 2000 }, () => makeClick(link)));
    await new Promise((r) => setTimeout(r, 150));
  }
  const size = statSync(`${file}-wal`).size;
  await storage.close();
  return size;
}

describe('SQLite background checkpoints', () => {
  it('keep the WAL bounded without checkpointing inside commits', async () => {
    // Control: commits no longer checkpoint and the thread never gets to (its
    // first turn is an hour away), so the WAL holds every write.
    const without = await walAfterWrites(join(dir, 'control.db'), 3_600_000);
    const withThread = await walAfterWrites(join(dir, 'bg.db'), 20);
    const Database = (await import('better-sqlite3')).default;
    const rows = (() => {
      const db = new Database(join(dir, 'bg.db'), { readonly: true });
      const n = (db.prepare('select count(*) as n from clicks').get() as { n: number }).n;
      db.close();
      return n;
    })();
    assert.equal(rows, 12000, 'every click is in the database');
    // With checkpoints between the rounds the WAL is reused from its start and
    // stays near one round's size, a sixth of the unchecked WAL.
    assert.ok(withThread * 3 < without, `WAL stayed bounded: ${withThread} bytes against ${without} without checkpoints`);
  });
});
