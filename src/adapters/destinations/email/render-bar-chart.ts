import { PNG } from 'pngjs';

// A small PNG bar chart of daily clicks for the report email. An image,
// not an HTML/CSS chart: Gmail and Outlook strip most layout CSS and all
// SVG, but every client shows an inline (cid:) PNG. No text is drawn (a
// font rasteriser for seven labels is not worth a dependency): the email
// prints the dates and figures under the image, which is also what screen
// readers and image-blocking clients get.

export interface ChartOptions {
  width?: number;
  height?: number;
}

type Rgb = readonly [number, number, number];
const BACKGROUND: Rgb = [255, 255, 255];
const GRID: Rgb = [234, 236, 240];
const BAR: Rgb = [23, 92, 211];
const BASELINE: Rgb = [152, 162, 179];

function fill(png: PNG, x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb): void {
  for (let y = Math.max(0, y0); y < Math.min(png.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(png.width, x1); x++) {
      const i = (png.width * y + x) << 2;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
}

/** One bar per value, scaled to the largest; an all-zero series draws the baseline only. */
export function renderBarChart(values: readonly number[], opts: ChartOptions = {}): Buffer {
  const width = opts.width ?? 560;
  const height = opts.height ?? 140;
  const png = new PNG({ width, height });
  fill(png, 0, 0, width, height, BACKGROUND);
  const pad = 8;
  const plotTop = pad;
  const plotBottom = height - pad;
  const plotHeight = plotBottom - plotTop;
  // Four light grid lines make the bars' proportions readable without numbers.
  for (let k = 1; k <= 4; k++) {
    const y = plotBottom - Math.round((plotHeight * k) / 4);
    fill(png, pad, y, width - pad, y + 1, GRID);
  }
  const max = Math.max(0, ...values);
  const n = Math.max(1, values.length);
  const slot = (width - 2 * pad) / n;
  const barWidth = Math.max(2, Math.floor(slot * 0.7));
  values.forEach((v, i) => {
    if (max === 0 || v <= 0) return;
    const h = Math.max(1, Math.round((v / max) * plotHeight));
    const x = Math.round(pad + i * slot + (slot - barWidth) / 2);
    fill(png, x, plotBottom - h, x + barWidth, plotBottom, BAR);
  });
  fill(png, pad, plotBottom, width - pad, plotBottom + 1, BASELINE);
  return PNG.sync.write(png);
}
