import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserAgentParser } from '../../src/adapters/ua/create-user-agent-parser.ts';
import { importClicks } from '../../src/domain/clicks/import-clicks.ts';
import type { Link } from '../../src/domain/links/link.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { createAnalyticsRollupWorker } from '../../src/worker/analytics-rollup-worker.ts';
import type { StorageKind, TestStorage } from '../helpers/test-storage.ts';
import { openTestStorage } from '../helpers/test-storage.ts';
import { addWorkspace, makeLink } from '../storage/fixtures.ts';

// Imported click history must reach analytics answered from the rollups,
// not only raw queries: imported ids carry the clicks' own (past) times, so
// they sit behind the rollup cursor, where the tailing fold never looks.

const DAY = 86_400_000;
const D0 = Date.parse('2026-02-02T00:00:00Z');

async function* lines(...ls: string[]): AsyncIterable<string> {
  yield* ls;
}

for (const kind of ['sqlite', 'postgres'] as StorageKind[]) {
  describe(`click import reaches the analytics rollups (${kind})`, () => {
    let opened: TestStorage;
    let workspaceId: string;
    let link: Link;
    const clock = new ManualClock('2026-02-10T12:00:00Z');
    before(async () => {
      opened = await openTestStorage(kind);
      const ws = await addWorkspace(opened.storage);
      workspaceId = ws.id;
      link = makeLink(ws.id);
      await opened.storage.links.insert(link);
    });
    after(() => opened.cleanup());

    it('a later import of older history is counted once the worker has folded again', async () => {
      const { storage } = opened;
      const deps = { storage, ua: createUserAgentParser(), clock };
      const worker = createAnalyticsRollupWorker({ analytics: storage.analytics, clock, onError: (err) => assert.fail(String(err)) });
      const perDay = async () => {
        const q = { workspaceId, fromMs: D0, toMs: D0 + 3 * DAY, filters: {}, includeBots: false, includeTest: false, groupBy: 'time' as const, bucketStarts: [D0, D0 + DAY, D0 + 2 * DAY], limit: null };
        return (await storage.analytics.query(q)).map((r) => [Number(r.key), r.clicks]).sort((a, b) => Number(a[0]) - Number(b[0]));
      };
      const at = (ms: number) => JSON.stringify({ link_id: link.id, ts: new Date(ms).toISOString() });

      assert.equal((await importClicks(deps, workspaceId, lines(at(D0 + DAY + 3_600_000), at(D0 + DAY + 7_200_000)))).imported, 2);
      assert.equal(await worker.catchUp(), 2);
      assert.deepEqual(await perDay(), [[D0 + DAY, 2]]);

      // Older than everything folded so far, and one between: both behind the cursor.
      assert.equal((await importClicks(deps, workspaceId, lines(at(D0 + 600_000), at(D0 + DAY + 5_400_000), at(D0 + 2 * DAY + 60_000)))).imported, 3);
      assert.equal(await worker.catchUp(), 5, 'the whole log is folded again, once');
      assert.deepEqual(await perDay(), [[D0, 1], [D0 + DAY, 3], [D0 + 2 * DAY, 1]]);
      assert.equal(await worker.catchUp(), 0);
      await worker.stop();
    });
  });
}
