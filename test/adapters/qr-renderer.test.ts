import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { clampQrSize, createQrRenderer } from '../../src/adapters/qr/create-qr-renderer.ts';

// Every code is read back with a real decoder (jsQR): a QR that renders but
// does not scan is the failure that matters on a printed poster.

// jsqr is CommonJS with `exports.default`: under NodeNext the default import is
// the whole module object, and its `.default` is the decoder.
const jsQR = jsQRModule.default;

const URL_WITH_MARKER = 'http://localhost:8080/abc1234?lh_qr=1';
const QUIET_ZONE = 4;

function decodePng(png: Buffer): { text: string | null; width: number; height: number; rgba: Buffer } {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return { text: code?.data ?? null, width: image.width, height: image.height, rgba: image.data };
}

/**
 * qrcode's SVG is one square background path plus one stroked path of dark
 * runs: "M4 4.5h7m3 0h1..." (absolute move to row centre, horizontal runs,
 * relative moves). Reading it back into a module grid is exact and cheap,
 * with no SVG renderer needed.
 */
function svgToGrid(svg: string): boolean[][] {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg);
  assert.ok(viewBox?.[1] && path?.[1], 'svg has a viewBox and a dark-module path');
  const n = Number(viewBox[1]);
  const grid = Array.from({ length: n }, () => Array.from({ length: n }, () => false));
  let x = 0;
  let y = 0;
  for (const [, cmd, args] of path[1].matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const nums = (args ?? '').trim().split(/[\s,]+/).filter(Boolean).map(Number);
    if (cmd === 'M') [x, y] = [nums[0] ?? 0, nums[1] ?? 0];
    else if (cmd === 'm') [x, y] = [x + (nums[0] ?? 0), y + (nums[1] ?? 0)];
    else if (cmd === 'h') {
      const row = grid[Math.floor(y)];
      assert.ok(row, `row ${y} inside the symbol`);
      for (let c = x; c < x + (nums[0] ?? 0); c++) row[c] = true;
      x += nums[0] ?? 0;
    } else assert.fail(`unexpected path command ${cmd}`);
  }
  return grid;
}

function gridToRgba(grid: boolean[][], scale: number): { data: Uint8ClampedArray; size: number } {
  const size = grid.length * scale;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const v = grid[Math.floor(py / scale)]?.[Math.floor(px / scale)] ? 0 : 255;
      data.set([v, v, v, 255], (py * size + px) * 4);
    }
  }
  return { data, size };
}

describe('createQrRenderer', () => {
  const qr = createQrRenderer();

  it('renders a PNG of the requested width that decodes back to the exact URL', async () => {
    const png = await qr.png(URL_WITH_MARKER, 300);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const decoded = decodePng(png);
    assert.equal(decoded.width, 300);
    assert.equal(decoded.height, 300);
    assert.equal(decoded.text, URL_WITH_MARKER);
  });

  it('decodes at small and large sizes', async () => {
    for (const size of [128, 1024]) {
      const decoded = decodePng(await qr.png(URL_WITH_MARKER, size));
      assert.equal(decoded.width, size);
      assert.equal(decoded.text, URL_WITH_MARKER, `size ${size}`);
    }
  });

  it('leaves a white quiet zone of 4 modules around the PNG symbol', async () => {
    const svg = await qr.svg(URL_WITH_MARKER, 256);
    const modules = svgToGrid(svg).length;
    const decoded = decodePng(await qr.png(URL_WITH_MARKER, modules * 8));
    const border = QUIET_ZONE * 8;
    for (let y = 0; y < decoded.height; y++) {
      for (let x = 0; x < decoded.width; x++) {
        if (y >= border && y < decoded.height - border && x >= border && x < decoded.width - border) continue;
        assert.equal(decoded.rgba[(y * decoded.width + x) * 4], 255, `pixel ${x},${y} is white`);
      }
    }
    // ... and the symbol starts right after it: the finder pattern's corner is dark.
    assert.equal(decoded.rgba[(border * decoded.width + border) * 4], 0);
  });

  it('renders a well-formed SVG that decodes back to the exact URL', async () => {
    const svg = await qr.svg(URL_WITH_MARKER, 256);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="256" height="256" viewBox="0 0 \d+ \d+"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.equal(svg.match(/<svg/g)?.length, 1);
    const grid = svgToGrid(svg);
    const { data, size } = gridToRgba(grid, 6);
    assert.equal(jsQR(data, size, size)?.data, URL_WITH_MARKER);
  });

  it('uses a 4-module quiet zone and error correction level M in the SVG', async () => {
    const grid = svgToGrid(await qr.svg(URL_WITH_MARKER, 256));
    const n = grid.length;
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < QUIET_ZONE; q++) {
        assert.equal(grid[q]?.[i], false);
        assert.equal(grid[n - 1 - q]?.[i], false);
        assert.equal(grid[i]?.[q], false);
        assert.equal(grid[i]?.[n - 1 - q], false);
      }
    }
    // Format information, row 8 of the symbol, columns 0 and 1 hold the two
    // error-correction bits XOR the fixed mask 10: M (00) reads dark, light;
    // L (01) would read dark, dark; Q and H start light.
    const row8 = grid[QUIET_ZONE + 8];
    assert.equal(row8?.[QUIET_ZONE], true);
    assert.equal(row8?.[QUIET_ZONE + 1], false);
  });

  it('keeps absurd sizes bounded instead of failing or allocating gigabytes', async () => {
    assert.equal(clampQrSize(Number.NaN), 256);
    assert.equal(clampQrSize(Number.POSITIVE_INFINITY), 256);
    assert.equal(clampQrSize(-5), 64);
    assert.equal(clampQrSize(100_000), 4_096);
    assert.equal(clampQrSize(300.4), 300);
    const decoded = decodePng(await qr.png(URL_WITH_MARKER, 0));
    assert.equal(decoded.width, 64);
  });

  it('rejects empty text rather than rendering an empty symbol', async () => {
    await assert.rejects(qr.png('', 256));
    await assert.rejects(qr.svg('', 256));
  });
});
