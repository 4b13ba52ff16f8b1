import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// The QR endpoint must produce a code a real decoder reads back as the short
// URL with the scan marker, so scans can be told apart from clicks.

describe('QR codes', () => {
  let t: TestLinkhook;
  let link: { id: string; short_url: string; qr_url: string };
  before(async () => {
    t = await startLinkhook({ env: { LINKHOOK_BASE_URL: 'https://sho.rt.example' } });
    link = (await t.api('POST', '/api/v1/links', { url: 'https://example.com/menu', slug: 'menu' })).body;
  });
  after(async () => {
    await t.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(t.url + path, { headers: { authorization: `Bearer ${t.key}`, ...headers } });

  it('PNG decodes back to the short URL with lh_qr=1', async () => {
    const res = await get(`${link.qr_url}?format=png&size=256`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    assert.ok(png.width >= 200 && png.width <= 300, `width ${png.width}`);
    // jsqr is CommonJS: its function sits on .default under NodeNext typing (and at run time).
    const code = jsQRModule.default(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.ok(code, 'jsQR found no QR code');
    assert.equal(code.data, 'https://sho.rt.example/menu?lh_qr=1');
    assert.equal(code.data, `${link.short_url}?lh_qr=1`);
  });

  it('SVG by default, 512 px', async () => {
    const res = await get(link.qr_url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await res.text();
    assert.match(svg, /<svg[\s>]/);
    assert.match(svg, /512/);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await get(`${link.qr_url}?format=png&size=128`);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    await first.arrayBuffer();
    const again = await get(`${link.qr_url}?format=png&size=128`, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    const otherSize = await get(`${link.qr_url}?format=png&size=129`, { 'if-none-match': etag });
    assert.equal(otherSize.status, 200);
    await otherSize.arrayBuffer();
  });

  it('422 for an unknown format or a size out of bounds', async () => {
    for (const q of ['format=gif', 'size=10', 'size=63', 'size=2049', 'size=abc', 'size=1.5', 'size=-100', 'colour=red']) {
      const res = await t.api('GET', `${link.qr_url}?${q}`);
      assert.equal(res.status, 422, q);
      assert.equal(res.body.error.code, 'validation_failed');
    }
    for (const q of ['size=64', 'size=2048']) assert.equal((await get(`${link.qr_url}?format=png&${q}`)).status, 200, q);
  });

  it('404 for an unknown link', async () => {
    const res = await t.api('GET', '/api/v1/links/lnk_00000000000000000000000000/qr');
    assert.equal(res.status, 404);
  });
});
