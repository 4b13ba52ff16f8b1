import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { StorageKind } from '../helpers/test-storage.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// POST /api/v1/imports with a Bitly-style and a Dub-style export: the QA
// report in the answer and in import.completed. Redirect chains are found
// against a real HTTP server on loopback (allowed through the SSRF guard
// for this test only), and not looked for unless the caller asks.

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

export function importQaSuite(kind: StorageKind): void {
  describe(`import QA (${kind})`, () => {
    let t: TestLinkhook;
    let origin: Server;
    let chainStart = '';

    const postCsv = async (csv: string, query = '') => {
      const res = await fetch(`${t.url}/api/v1/imports${query}`, { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'text/csv' }, body: csv });
      return { status: res.status, body: (await res.json()) as any };
    };
    const kinds = (qa: { findings: { row: number; kind: string }[] }) => qa.findings.map((f) => `${f.row}:${f.kind}`);

    before(async () => {
      // /a → /b → /c → 200: two redirects before the page.
      origin = createServer((req, res) => {
        const next: Record<string, string> = { '/a': '/b', '/b': '/c' };
        const to = next[req.url ?? ''];
        if (to) res.writeHead(301, { location: to }).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
      chainStart = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/a`;
      t = await startLinkhook({ storage: kind, env: { LINKHOOK_BASE_URL: 'https://lnk.example', LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8' } });
      const taken = await t.api('POST', '/api/v1/links', { url: 'https://acme.example/already', slug: 'taken' });
      assert.equal(taken.status, 201, JSON.stringify(taken.body));
    });
    after(async () => {
      await t.close();
      await new Promise((resolve) => origin.close(resolve));
    });

    it('reports a Bitly export: duplicates, UTM problems, a taken slug, foreign domains and a redirect chain', async () => {
      const res = await postCsv(fixture('bitly-export.csv').replace('{{CHAIN}}', chainStart), '?check_redirects=true&file=bitly-export.csv');
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const qa = res.body.qa;
      assert.equal(qa.redirects_checked, true);
      assert.deepEqual(kinds(qa), [
        '2:duplicate_destination',
        '2:foreign_domain',
        '3:duplicate_destination',
        '3:foreign_domain',
        '4:foreign_domain',
        '4:malformed_utm',
        '4:missing_utm',
        '5:foreign_domain',
        '5:missing_utm',
        '5:redirect_chain',
        '6:foreign_domain',
        '6:missing_utm',
        '6:slug_collision',
      ]);
      const f = (row: number, k: string) => qa.findings.find((x: { row: number; kind: string }) => x.row === row && x.kind === k);
      assert.equal(f(2, 'duplicate_destination').message, 'same destination as row 3');
      assert.equal(f(4, 'malformed_utm').message, 'utm_source has upper-case letters, spaces or symbols');
      assert.equal(f(4, 'missing_utm').message, 'missing utm_medium');
      assert.equal(f(2, 'foreign_domain').value, 'bit.ly');
      assert.equal(f(6, 'missing_utm').message, 'no UTM parameters, unlike most rows of this file');
      assert.match(f(5, 'redirect_chain').message, /^redirects 2 times before http:\/\/127\.0\.0\.1:\d+\/c$/);
      assert.equal(f(6, 'slug_collision').message, 'slug taken is already taken');
      // The Bitlink's path became the slug where there was no custom one.
      assert.deepEqual(res.body.results.map((r: { status: string; short_url?: string }) => r.short_url ?? r.status), [
        'https://lnk.example/spring-sale',
        'https://lnk.example/3xYz2',
        'https://lnk.example/webinar',
        'https://lnk.example/old-promo',
        'failed',
      ]);

      const event = (await t.api('GET', `/api/v1/events/${res.body.event_id}`)).body as { type: string; data: unknown };
      assert.equal(event.type, 'import.completed');
      const data = EVENT_CATALOGUE['import.completed'].schema.parse(event.data);
      assert.equal(data.import.source, 'api');
      assert.equal(data.import.file, 'bitly-export.csv');
      assert.deepEqual([data.import.rows, data.import.created, data.import.failed], [5, 4, 1]);
      assert.deepEqual(data.import.qa.counts, { duplicate_destination: 2, missing_utm: 3, malformed_utm: 1, redirect_chain: 1, missing_slug: 0, slug_collision: 1, foreign_domain: 5 });
    });

    it('reports a Dub export: a slug repeated in the file, a missing slug, a foreign domain; no outbound check unless asked', async () => {
      const res = await postCsv(fixture('dub-export.csv'));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const qa = res.body.qa;
      assert.equal(qa.redirects_checked, false);
      assert.deepEqual(kinds(qa), ['3:slug_collision', '4:foreign_domain', '4:missing_utm', '5:missing_slug', '5:missing_utm']);
      assert.equal(qa.findings[0].message, 'slug launch is also on row 2');
      assert.deepEqual(res.body.results.map((r: { status: string; error?: { code: string } }) => r.error?.code ?? r.status), ['created', 'slug_taken', 'domain_not_verified', 'created']);
    });

    it('refuses a CSV without a destination column, and a JSON body, with 422', async () => {
      const bad = await postCsv('title,slug\nx,y\n');
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.code, 'validation_failed');
      const json = await t.api('POST', '/api/v1/imports', { url: 'https://acme.example' });
      assert.equal(json.status, 422);
    });
  });
}
