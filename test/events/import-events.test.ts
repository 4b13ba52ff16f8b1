import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import { runCli } from '../helpers/run-cli.ts';

// `linkhook links import` emits one link.created per created link (actor:
// cli) and an import.completed summary with the counts.

describe('CSV import events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkhook-import-events-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('emits link.created per link and import.completed with counts', async () => {
    const csv = join(dir, 'links.csv');
    writeFileSync(csv, 'url,slug\nhttps://example.com/1,imp-1\njavascript:alert(1),imp-2\nhttps://example.com/3,imp-3\n');
    const r = await runCli(['links', 'import', csv], { LINKHOOK_DATA_DIR: dir });
    assert.equal(r.code, 1, r.stderr); // one row failed

    const storage = await createSqliteStorage({ file: join(dir, 'linkhook.db'), synchronous: 'NORMAL' });
    try {
      const ws = await storage.workspaces.getBySlug('default');
      const created = (await storage.events.list(ws!.id, { type: 'link.created' }, { limit: 10 })).items;
      assert.deepEqual(created.map((e) => e.data.link?.slug).sort(), ['imp-1', 'imp-3']);
      for (const e of created) assert.deepEqual(e.data.actor, { type: 'cli', id: null, name: 'cli' });
      const [done, ...more] = (await storage.events.list(ws!.id, { type: 'import.completed' }, { limit: 10 })).items;
      assert.ok(done);
      assert.equal(more.length, 0);
      assert.ok(EVENT_CATALOGUE['import.completed'].schema.safeParse(done.data).success);
      const summary = done.data.import as { file: string; rows: number; created: number; failed: number };
      assert.deepEqual({ file: summary.file, rows: summary.rows, created: summary.created, failed: summary.failed }, { file: 'links.csv', rows: 3, created: 2, failed: 1 });
    } finally {
      await storage.close();
    }
  });
});
