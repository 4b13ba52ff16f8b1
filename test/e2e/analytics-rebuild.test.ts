import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import type { Config } from '../../src/config/config.ts';
import type { Link } from '../../src/domain/links/link.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { clickIdFloor } from '../../src/adapters/storage/sql/analytics-rollup.ts';
import { rebuildAnalytics } from '../../src/entrypoints/commands/analytics-rebuild.ts';
import { openStorage } from '../../src/entrypoints/create-linkhook.ts';
import { createAnalyticsRollupWorker } from '../../src/worker/analytics-rollup-worker.ts';
import { addWorkspace, makeClick, makeLink } from '../storage/fixtures.ts';

// `linkhook analytics rebuild` (its function; the CLI only wires it) and the
// rollup worker's lifecycle, on a real SQLite file from config.

const D0 = Date.parse('2026-01-05T00:00:00Z');

/**
 * A click id minted at `ms`. newId() cannot: its ULID factory is monotonic,
 * so after any id minted now it mints later-than-now ids, which the rollup
 * rightly treats as not yet settled.
 */
const pastId = (ms: number, i: number): string => clickIdFloor(ms) + String(i).padStart(16, '0');

describe('analytics rollup worker and rebuild', () => {
  let dir: string;
  let config: Readonly<Config>;
  let workspaceId: string;
  let link: Link;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkhook-rebuild-'));
    config = loadConfig({ LINKHOOK_DATA_DIR: dir, LINKHOOK_LOG_LEVEL: 'silent' });
    const storage = await openStorage(config);
    await storage.migrate();
    const ws = await addWorkspace(storage);
    workspaceId = ws.id;
    link = makeLink(ws.id);
    await storage.links.insert(link);
    await storage.clicks.insertMany(Array.from({ length: 30 }, (_, i) => makeClick(link, { id: pastId(D0 + i * 3_600_000, i), ts: new Date(D0 + i * 3_600_000).toISOString(), visitorHash: `v${i % 7}` })));
    await storage.close();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the worker folds settled clicks and stops cleanly', async () => {
    const storage = await openStorage(config);
    try {
      const worker = createAnalyticsRollupWorker({ analytics: storage.analytics, clock: systemClock, onError: (err) => assert.fail(String(err)) }, 10);
      assert.equal(await worker.catchUp(), 30);
      assert.equal(await worker.catchUp(), 0, 'nothing left once caught up');
      worker.start();
      await worker.stop();
      const q = { workspaceId, fromMs: D0, toMs: D0 + 2 * 86_400_000, filters: {}, includeBots: false, includeTest: false, groupBy: 'time' as const, bucketStarts: [D0, D0 + 86_400_000], limit: null };
      const rows = await storage.analytics.query(q);
      assert.deepEqual(rows.map((r) => [Number(r.key), r.clicks, r.visitors]).sort(), [[D0, 24, 7], [D0 + 86_400_000, 6, 6]].sort());
    } finally {
      await storage.close();
    }
  });

  it('rebuild drops the rollups and folds every click again', async () => {
    const lines: string[] = [];
    await rebuildAnalytics(config, (line) => lines.push(line));
    assert.match(lines[0] ?? '', /^Rebuilt analytics rollups from 30 clicks in /);
  });

  it('rebuild beside a running worker that holds the fold lease: the rebuild takes it, the worker resumes after', async () => {
    const storage = await openStorage(config);
    try {
      const worker = createAnalyticsRollupWorker({ analytics: storage.analytics, clock: systemClock, onError: (err) => assert.fail(String(err)) });
      assert.equal(await worker.catchUp(), 0, 'nothing new, but the worker now holds the lease');
      const lines: string[] = [];
      await rebuildAnalytics(config, (line) => lines.push(line));
      assert.match(lines[0] ?? '', /^Rebuilt analytics rollups from 30 clicks in /, 'not 0: the rebuild did not wait for the lease');
      // The rebuild gave the lease back; the worker takes it again and folds a new click, counted once.
      await storage.clicks.insertMany([makeClick(link, { id: pastId(D0 + 40 * 3_600_000, 40), ts: new Date(D0 + 40 * 3_600_000).toISOString(), visitorHash: 'late' })]);
      assert.equal(await worker.catchUp(), 1);
      await worker.stop();
      const q = { workspaceId, fromMs: D0, toMs: D0 + 2 * 86_400_000, filters: {}, includeBots: false, includeTest: false, groupBy: 'link' as const, bucketStarts: [], limit: null };
      assert.deepEqual((await storage.analytics.query(q)).map((r) => [r.clicks, r.visitors]), [[31, 14]]);
    } finally {
      await storage.close();
    }
  });
});
