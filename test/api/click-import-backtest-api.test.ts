import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';
import { makeRule } from '../rules/evaluator-fixtures.ts';

// Click history import (NDJSON, streamed) and rule backtests over it, through
// the real server and a real SQLite file.

const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

async function ndjson(t: TestLinkhook, body: string, key = t.key, type = 'application/x-ndjson'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/v1/clicks/import`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  return { status: res.status, body: await res.json() };
}

void describe('click history import and backtest API', () => {
  let t: TestLinkhook;
  let link: { id: string; slug: string };
  before(async () => {
    t = await startLinkhook();
    link = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/', slug: 'spring' })).body;
  });
  after(async () => t.close());

  void it('imports good lines, reports bad ones by line number, and enriches like live clicks', async () => {
    const lines = [
      JSON.stringify({ link_id: link.id, ts: '2025-05-01T10:00:00Z', user_agent: CHROME_ANDROID, referrer: 'https://news.example/a', country: 'de', qr: true }),
      JSON.stringify({ slug: 'spring', ts: '2025-05-01T10:01:00.000+02:00' }),
      '',
      '{not json',
      JSON.stringify({ slug: 'nope', ts: '2025-05-01T10:00:00Z' }),
      JSON.stringify({ link_id: link.id, slug: 'spring', ts: '2025-05-01T10:00:00Z' }),
      JSON.stringify({ link_id: link.id, ts: 'yesterday' }),
      JSON.stringify({ link_id: link.id, ts: '2999-01-01T00:00:00Z' }),
      JSON.stringify({ link_id: link.id, ts: '2025-05-01T10:02:00Z', user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)', colour: 'red' }),
      JSON.stringify({ link_id: link.id, ts: '2025-05-01T10:03:00Z', user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }),
    ].join('\n');
    const r = await ndjson(t, lines);
    assert.equal(r.status, 200);
    assert.equal(r.body.imported, 3);
    assert.equal(r.body.rejected_count, 6);
    assert.deepEqual(r.body.rejected.map((x: { line: number }) => x.line), [4, 5, 6, 7, 8, 9]);
    assert.match(r.body.rejected[1].error, /slug: no link \/nope/);
    assert.match(r.body.rejected[2].error, /exactly one of link_id or slug/);
    assert.match(r.body.rejected[4].error, /future/);
    assert.match(r.body.rejected[5].error, /colour/);

    const clicks = (await t.api('GET', `/api/v1/links/${link.id}/clicks`)).body.data;
    assert.equal(clicks.length, 3);
    const first = clicks.find((c: { ts: string }) => c.ts === '2025-05-01T10:00:00.000Z');
    assert.equal(first.device_type, 'mobile');
    assert.equal(first.country, 'DE');
    assert.equal(first.referrer_domain, 'news.example');
    assert.equal(first.is_qr, true);
    assert.equal(first.visitor_hash, 'imported');
    assert.equal(clicks.find((c: { ts: string }) => c.ts === '2025-05-01T10:03:00.000Z').is_bot, true);
    assert.deepEqual((await t.api('GET', `/api/v1/links/${link.id}/stats`)).body, { clicks: 2, scans: 1, bots: 1, test: 0 });
  });

  void it('refuses JSON bodies and keys without links:write', async () => {
    assert.equal((await ndjson(t, '{}', t.key, 'application/json')).body.error.code, 'unsupported_media_type');
    const reader = await t.newKey({ scopes: ['links:read'] });
    assert.equal((await ndjson(t, '', reader)).status, 403);
  });

  void it('backtests a stored rule over the imported history', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ link_id: link.id, ts: new Date(Date.parse('2025-05-02T08:00:00Z') + i * 10_000).toISOString() }));
    assert.equal((await ndjson(t, `${lines.join('\n')}\n`)).body.imported, 12);
    const ws = await t.lh.storage.workspaces.getBySlug('default');
    assert.ok(ws);
    const rule = makeRule(ws.id, { type: 'threshold', metric: 'clicks', window: '1h', op: '>=', value: 10 }, { scope: { link_ids: [link.id] } });
    await t.lh.storage.rules.insert(rule);
    const r = await t.api('POST', `/api/v1/rules/${rule.id}/backtest`, { from: '2025-05-02T00:00:00Z', to: '2025-05-03T00:00:00Z' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.firings.map((f: { at: string; link_id: string; value: number }) => [f.at, f.link_id, f.value]), [['2025-05-02T09:00:00.000Z', link.id, 12]]);
    assert.equal(r.body.steps, 24);
    assert.equal((await t.api('POST', '/api/v1/rules/rule_nope/backtest', { from: '2025-05-02T00:00:00Z', to: '2025-05-03T00:00:00Z' })).status, 404);
    assert.equal((await t.api('POST', `/api/v1/rules/${rule.id}/backtest`, { from: '2025-05-02T00:00:00Z' })).body.error.code, 'validation_failed');
  });
});
