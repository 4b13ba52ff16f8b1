import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Click } from '../../src/domain/clicks/click.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// A 200,000-click export streams: every row arrives, and the server (in this
// process) never holds the export - its heap grows by far less than the
// bytes sent. Buffering the export would hold 200,000 Click objects (~1 KB
// each), several times the ~60 MB of CSV. The client reads slowly at first
// so backpressure, not a fast reader, is what keeps memory flat.

const ROWS = 200_000;

// A full collection before each heap reading, so the figure is live memory,
// not garbage V8 has not collected yet (the export makes ~400 MB of it).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('a large click export on sqlite', () => {
  let t: TestLinkhook;
  before(async () => {
    // No in-process workers: the rollup worker folding these clicks would hold
    // its visitor sets (~60 MB here) in the very heap this test watches.
    t = await startLinkhook({ storage: 'sqlite', env: { LINKHOOK_WORKER: 'false' } });
    const link = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/big' })).body as { id: string; slug: string };
    const ws = await t.lh.storage.workspaces.getBySlug('default');
    assert.ok(ws);
    const T0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < ROWS; i += 20_000) {
      const batch: Click[] = [];
      for (let j = i; j < Math.min(ROWS, i + 20_000); j++) {
        const ms = T0 + j * 1000;
        batch.push({
          id: newId('click', ms), workspaceId: ws.id, linkId: link.id, ts: new Date(ms).toISOString(), domain: null, slug: link.slug, method: 'GET',
          referrer: `https://ref${j % 100}.example/some/long/path?with=query&n=${j}`, referrerDomain: `ref${j % 100}.example`,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0', browser: 'Firefox', browserVersion: '130.0', os: 'Linux',
          deviceType: 'desktop', isBot: false, botReason: null, country: 'DE', region: 'BE', city: 'Berlin', isQr: false, isTest: false,
          visitorHash: `${j.toString(16).padStart(32, '0')}`, ip: null, utm: { source: 'newsletter', medium: 'email' },
        });
      }
      await t.lh.storage.clicks.insertMany(batch);
    }
  });
  after(async () => {
    await t.close();
  });

  it('streams every row with bounded server memory', async () => {
    const baseline = liveHeap();
    let peak = baseline;
    // node:http, iterated: the client reads only as fast as this loop asks.
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${t.url}/api/v1/exports/clicks?format=csv`, { headers: { authorization: `Bearer ${t.key}` } }, resolve).on('error', reject);
    });
    assert.equal(res.statusCode, 200);
    let bytes = 0;
    let newlines = 0;
    let chunks = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      chunks++;
      for (const b of chunk) if (b === 10) newlines++;
      if (chunks % 100 === 0) peak = Math.max(peak, liveHeap());
      // A slow reader for the first chunks: the server must wait, not run ahead into memory.
      if (chunks <= 20) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(newlines, ROWS + 1, 'header plus every click');
    assert.ok(chunks > 10, `arrived in ${chunks} chunks, not one buffered body`);
    const growth = peak - baseline;
    assert.ok(growth < bytes / 2, `server heap grew ${Math.round(growth / 2 ** 20)} MB for a ${Math.round(bytes / 2 ** 20)} MB export`);
  });
});
