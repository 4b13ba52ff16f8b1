import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import { csvCell } from '../../src/http/api/csv.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Exports on both storages: content, content types, attachments, filters,
// CSV quoting, and formula injection neutralised in attacker-controlled cells.

/** A minimal RFC 4180 reader for the assertions (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

function click(link: { id: string; slug: string }, workspaceId: string, ms: number, over: Partial<Click> = {}): Click {
  return {
    id: newId('click', ms), workspaceId, linkId: link.id, ts: new Date(ms).toISOString(), domain: null, slug: link.slug, method: 'GET',
    referrer: null, referrerDomain: null, userAgent: 'Mozilla/5.0', browser: 'Firefox', browserVersion: '130.0', os: 'Linux', deviceType: 'desktop',
    isBot: false, botReason: null, country: 'DE', region: null, city: 'Berlin', isQr: false, isTest: false, visitorHash: `v${ms}`, ip: null, utm: {}, ...over,
  };
}

void describe('csvCell', () => {
  void it('neutralises formula starters and quotes what must be quoted', () => {
    assert.equal(csvCell('=1+2'), "'=1+2");
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('\rx'), `"'\rx"`);
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('=HYPERLINK("http://evil","x")'), `"'=HYPERLINK(""http://evil"",""x"")"`);
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(true), 'true');
    assert.equal(csvCell('a=b'), 'a=b');
  });
});

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`exports on ${storage}`, () => {
    let t: TestLinkhook;
    let a: { id: string; slug: string };
    const T0 = Date.parse('2026-02-01T12:00:00.000Z');
    before(async () => {
      t = await startLinkhook({ storage });
      a = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/a', title: '=cmd|"/c calc"!A1', tags: ['x', 'y'], campaign: '@launch' })).body;
      await t.api('POST', '/api/v1/links', { url: 'https://example.com/b', title: 'plain, with comma' });
      const ws = await t.lh.storage.workspaces.getBySlug('default');
      assert.ok(ws);
      await t.lh.storage.clicks.insertMany([
        click(a, ws.id, T0, { referrer: '=HYPERLINK("http://evil.example","click")', referrerDomain: 'evil.example', userAgent: '+SUM(1,2)', utm: { source: '-news' } }),
        click(a, ws.id, T0 + 1000, { userAgent: 'Mozilla "quoted", with comma\nand newline', country: 'FR' }),
        click(a, ws.id, T0 + 2000, { isBot: true, botReason: 'user-agent', deviceType: 'bot' }),
      ]);
    });
    after(async () => {
      await t.close();
    });

    const download = async (path: string) => {
      const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${t.key}` } });
      return { status: res.status, headers: res.headers, text: await res.text() };
    };

    it('clicks as CSV: attachment, header, neutralised and quoted cells, bots excluded', async () => {
      const res = await download('/api/v1/exports/clicks?format=csv');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="clicks-\d{4}-\d{2}-\d{2}\.csv"$/);
      const [header, ...rows] = parseCsv(res.text);
      assert.ok(header);
      assert.equal(rows.length, 2);
      const col = (name: string) => header.indexOf(name);
      assert.equal(rows[0]?.[col('referrer')], `'=HYPERLINK("http://evil.example","click")`);
      assert.equal(rows[0]?.[col('user_agent')], "'+SUM(1,2)");
      assert.equal(rows[0]?.[col('utm_source')], "'-news");
      assert.equal(rows[1]?.[col('user_agent')], 'Mozilla "quoted", with comma\nand newline');
      assert.equal(rows[1]?.[col('country')], 'FR');
      assert.equal(rows[0]?.[col('is_bot')], 'false');
    });

    it('clicks as NDJSON with filters; bots on request', async () => {
      const res = await download('/api/v1/exports/clicks?format=ndjson&include_bots=true');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
      assert.match(res.headers.get('content-disposition') ?? '', /filename="clicks-.*\.ndjson"/);
      const lines = res.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(lines.length, 3);
      assert.equal(lines[0]?.referrer, '=HYPERLINK("http://evil.example","click")', 'JSON is data, not a spreadsheet: unchanged');
      const fr = await download(`/api/v1/exports/clicks?format=ndjson&country=FR&link_id=${a.id}&from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z`);
      assert.equal(fr.text.trim().split('\n').length, 1);
      const none = await download('/api/v1/exports/clicks?format=ndjson&from=2026-03-01T00:00:00Z');
      assert.equal(none.text, '');
    });

    it('links as CSV and NDJSON', async () => {
      const csv = await download('/api/v1/exports/links');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-disposition') ?? '', /filename="links-.*\.csv"/);
      const [header, ...rows] = parseCsv(csv.text);
      assert.ok(header);
      assert.equal(rows.length, 2);
      const mine = rows.find((r) => r[0] === a.id);
      assert.equal(mine?.[header.indexOf('title')], `'=cmd|"/c calc"!A1`);
      assert.equal(mine?.[header.indexOf('campaign')], "'@launch");
      assert.equal(mine?.[header.indexOf('tags')], 'x,y');
      assert.ok(rows.some((r) => r[header.indexOf('title')] === 'plain, with comma'));
      const nd = await download('/api/v1/exports/links?format=ndjson&tag=x');
      const lines = nd.text.trim().split('\n').map((l) => JSON.parse(l) as { id: string; tags: string[] });
      assert.deepEqual(lines.map((l) => l.id), [a.id]);
    });

    it('422 before streaming for a bad query; scopes apply', async () => {
      const bad = await download('/api/v1/exports/clicks?format=xml');
      assert.equal(bad.status, 422);
      assert.equal(JSON.parse(bad.text).error.code, 'validation_failed');
      assert.equal((await download('/api/v1/exports/links?colour=red')).status, 422);
      const key = await t.newKey({ scopes: ['links:read'] });
      const res = await fetch(`${t.url}/api/v1/exports/clicks`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 403);
      await res.arrayBuffer();
    });
  });
}
