import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import { runCli } from '../helpers/run-cli.ts';

// `linkhook links import` on a Dub-style export: the QA summary on stdout, a
// `qa` column in the per-row report, and the findings in import.completed.
// No --check-redirects: no outbound request is made, and the event says so.

describe('CSV import QA from the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkhook-import-qa-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the QA findings, writes them per row, and sends them in import.completed', async () => {
    const csv = join(dir, 'dub.csv');
    copyFileSync(new URL('fixtures/dub-export.csv', import.meta.url), csv);
    const r = await runCli(['links', 'import', csv], { LINKHOOK_DATA_DIR: dir, LINKHOOK_BASE_URL: 'https://lnk.example' });
    assert.equal(r.code, 1, r.stderr); // two rows fail (slug taken in the file, foreign domain)
    assert.match(r.stdout, /QA: 2 missing utm, 1 missing slug, 1 slug collision, 1 foreign domain \(redirect chains not checked: --check-redirects\)\./);
    assert.match(r.stdout, /row 3: slug_collision: slug launch is also on row 2/);

    const report = readFileSync(`${csv}.report.csv`, 'utf8').trim().split('\n');
    assert.equal(report[0], 'row,status,id,short_url,error_code,error_message,qa');
    assert.match(report[4] ?? '', /^5,created,lnk_\w+,https:\/\/lnk\.example\/\w+,,,missing_slug: no slug: a random one will be generated; missing_utm: missing utm_medium$/);

    const storage = await createSqliteStorage({ file: join(dir, 'linkhook.db'), synchronous: 'NORMAL' });
    try {
      const ws = await storage.workspaces.getBySlug('default');
      const [done] = (await storage.events.list(ws!.id, { type: 'import.completed' }, { limit: 1 })).items;
      const data = EVENT_CATALOGUE['import.completed'].schema.parse(done?.data);
      assert.equal(data.import.source, 'cli');
      assert.equal(data.import.qa.redirects_checked, false);
      assert.equal(data.import.qa.counts.slug_collision, 1);
    } finally {
      await storage.close();
    }
  });
});
