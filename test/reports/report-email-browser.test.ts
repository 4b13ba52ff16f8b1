import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { createEmailDestination, type EmailDestination } from '../../src/adapters/destinations/email/create-email-destination.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';
import { makeCtx, makeEndpoint } from '../destinations/destination-fixtures.ts';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.ts';

// The report email as a reader sees it: the mail goes through a real SMTP
// server, its HTML is opened in headless Chromium (Debian's, installed by
// .ci/run) with the cid: chart resolved from the attachment the way a mail
// client does, and we check what is on screen — the chart decoded at its
// size, the tables laid out, nothing wider than the window on a desktop
// client or a phone. Regex checks on the HTML (report-rendering.test.ts)
// cannot see a broken image or a table that overflows.

const SAMPLE = OTHER_EVENT_SAMPLES['report.summary'] as EventEnvelope;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags the machine needs: no sandbox as root, and no background networking
// (this network is closed; Chromium's own calls out only fail slowly).
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Screen {
  title: string;
  h1: string;
  h2: string[];
  img: { complete: boolean; naturalWidth: number; naturalHeight: number; width: number };
  scrollWidth: number;
  viewport: number;
  topLinkRow: string[];
}

// Read in the page. A string, not a function, because this project compiles
// without the DOM library (it is server code); the shape is checked by `Screen`.
const READ_SCREEN = `(() => {
  const img = document.querySelector('img');
  const row = [...document.querySelectorAll('tr')].find((tr) => tr.textContent.includes('Webinar sign-up'));
  return {
    title: document.title,
    h1: document.querySelector('h1')?.textContent ?? '',
    h2: [...document.querySelectorAll('h2')].map((h) => h.textContent),
    img: { complete: img?.complete ?? false, naturalWidth: img?.naturalWidth ?? 0, naturalHeight: img?.naturalHeight ?? 0, width: img?.getBoundingClientRect().width ?? 0 },
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    topLinkRow: row ? [...row.querySelectorAll('td')].map((td) => td.textContent) : [],
  };
})()`;

/** The mail's HTML with each cid: reference replaced by its attachment as a data: URL. */
function resolveCids(mail: ParsedMail): string {
  let html = String(mail.html);
  for (const a of mail.attachments) {
    const cid = a.cid ?? a.contentId?.replace(/^<|>$/g, '');
    if (cid) html = html.replaceAll(`cid:${cid}`, `data:${a.contentType};base64,${a.content.toString('base64')}`);
  }
  return html;
}

describe('report email in a real browser', () => {
  let inbox: SmtpInbox;
  let email: EmailDestination;
  let browser: Browser;
  let html = '';

  before(async () => {
    inbox = await startSmtpInbox();
    email = createEmailDestination({ smtpUrl: inbox.url, from: 'linkhook <reports@acme.example>' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });

    const arrived = inbox.next();
    const r = await email.send(makeCtx(SAMPLE, makeEndpoint('email', { to: ['ana@acme.example'] })));
    assert.equal(r.ok, true, r.error ?? '');
    const mail = await arrived;
    html = resolveCids(mail);
    assert.doesNotMatch(html, /cid:/, 'every inline image has its attachment');
  });
  after(async () => {
    await browser?.close();
    email?.close();
    await inbox?.close();
  });

  async function render(width: number): Promise<{ screen: Screen; shot: Buffer }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    try {
      // Mail clients load no remote content by default; neither do we.
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(html, { waitUntil: 'load' });
      const screen = await page.evaluate<Screen>(READ_SCREEN);
      const shot = await page.screenshot({ fullPage: true });
      return { screen, shot };
    } finally {
      await page.close();
    }
  }

  it('shows the chart, the headings and the tables on a desktop mail client', async () => {
    const { screen, shot } = await render(800);
    assert.equal(screen.h1, 'Weekly campaign summary');
    assert.deepEqual(screen.h2, ['Daily clicks (Europe/Berlin)', 'Top links', 'Fastest-growing links', 'Suspected issues', 'No activity despite an active campaign']);
    // The chart is an image the browser decoded, shown at its designed size.
    assert.equal(screen.img.complete, true);
    assert.deepEqual([screen.img.naturalWidth, screen.img.naturalHeight], [560, 140]);
    assert.equal(Math.round(screen.img.width), 560);
    assert.deepEqual(screen.topLinkRow.slice(0, 2), ['go.acme.example/webinar (Webinar sign-up)', '4,388']);
    assert.ok(screen.scrollWidth <= screen.viewport, `page is ${screen.scrollWidth}px wide in an ${screen.viewport}px window`);

    // The screenshot has the report's blue accent and chart bars, not a blank page.
    const png = PNG.sync.read(shot);
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 23 && png.data[i + 1] === 92 && png.data[i + 2] === 211) blue++;
    assert.ok(blue > 2000, `only ${blue} pixels of the chart colour on screen`);
  });

  it('fits a phone screen: the chart scales down and nothing scrolls sideways', async () => {
    const { screen } = await render(375);
    assert.equal(screen.img.complete, true);
    assert.equal(screen.img.naturalWidth, 560);
    assert.ok(screen.img.width < 375, `chart drawn ${screen.img.width}px wide on a 375px screen`);
    assert.ok(screen.scrollWidth <= screen.viewport, `page is ${screen.scrollWidth}px wide in a ${screen.viewport}px window`);
  });
});
