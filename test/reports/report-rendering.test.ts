import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { createEmailDestination, type EmailDestination } from '../../src/adapters/destinations/email/create-email-destination.ts';
import { renderSlackMessage } from '../../src/adapters/destinations/slack/render-slack-message.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';
import { makeCtx, makeEndpoint } from '../destinations/destination-fixtures.ts';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.ts';

// report.summary as people receive it: an email through a real SMTP server
// (smtp-server + mailparser, as the email destination's own tests), whose
// chart must be an inline PNG that decodes, and a Slack Block Kit message.

const SAMPLE = OTHER_EVENT_SAMPLES['report.summary'] as EventEnvelope;

describe('report.summary rendering', () => {
  let inbox: SmtpInbox;
  let email: EmailDestination;

  before(async () => {
    inbox = await startSmtpInbox();
    email = createEmailDestination({ smtpUrl: inbox.url, from: 'linkhook <reports@acme.example>' });
  });
  after(async () => {
    email.close();
    await inbox.close();
  });

  it('emails a readable HTML summary with the daily chart attached inline as a PNG', async () => {
    const r = await email.send(makeCtx(SAMPLE, makeEndpoint('email', { to: ['ana@acme.example'], subject_prefix: '[acme]' })));
    assert.equal(r.ok, true, r.error ?? '');
    const m = inbox.mails.at(-1);
    assert.ok(m);
    assert.equal(m.subject, '[acme] Report: Weekly campaign summary');

    const html = String(m.html);
    assert.match(html, /<h1[^>]*>Weekly campaign summary<\/h1>/);
    assert.match(html, /18,342 clicks · 12,907 unique visitors · 2,210 QR scans/);
    assert.match(html, /Not counted: 1,544 bot and 37 test visits\./);
    for (const h of ['Top links', 'Fastest-growing links', 'Suspected issues', 'No activity despite an active campaign']) assert.match(html, new RegExp(`<h2[^>]*>${h}</h2>`));
    assert.match(html, /<td[^>]*>go\.acme\.example\/webinar \(Webinar sign-up\)<\/td><td[^>]*>4,388<\/td><td[^>]*>1,210<\/td>/);
    assert.match(html, /<td[^>]*>Incomplete UTM<\/td><td[^>]*>missing utm_medium<\/td>/);
    assert.match(html, /<td[^>]*>go\.acme\.example\/spring-de \(Spring \(DE\)\)<\/td><td[^>]*>spring-2026<\/td>/);
    assert.match(html, /alt="Daily clicks: 2026-03-09: 2110, [^"]*2026-03-15: 2432"/);

    // The <img> points at the attachment by Content-ID, and the attachment is a real PNG.
    const cid = /<img src="cid:([^"]+)"/.exec(html)?.[1];
    assert.ok(cid);
    const chart = m.attachments.find((a) => a.contentId === `<${cid}>` || a.cid === cid);
    assert.ok(chart, `no attachment with cid ${cid}: ${JSON.stringify(m.attachments.map((a) => a.cid))}`);
    assert.equal(chart.contentType, 'image/png');
    assert.equal(chart.contentDisposition, 'inline');
    const png = PNG.sync.read(chart.content);
    assert.deepEqual([png.width, png.height], [560, 140]);
    // Seven bars: the bar colour appears in seven separate runs along a row near the baseline.
    const y = png.height - 12;
    let runs = 0;
    let inBar = false;
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) << 2;
      const bar = png.data[i] === 23 && png.data[i + 1] === 92 && png.data[i + 2] === 211;
      if (bar && !inBar) runs++;
      inBar = bar;
    }
    assert.equal(runs, 7);

    const text = String(m.text);
    assert.match(text, /^Weekly campaign summary\n=+\n/);
    assert.match(text, /Fastest-growing links\n {2}- go\.acme\.example\/webinar \(Webinar sign-up\): 4388 \(previous 1210\)/);
  });

  it('escapes user data in the report email', async () => {
    const report = { ...(SAMPLE.data.report as Record<string, unknown>), name: '<script>alert(1)</script>', owner: '"><img src=x onerror=alert(1)>' };
    const event: EventEnvelope = { ...SAMPLE, id: 'evt_01kkg07mdz2599sfr722hdmxz8', data: { report } };
    const r = await email.send(makeCtx(event, makeEndpoint('email', { to: ['ana@acme.example'] })));
    assert.equal(r.ok, true, r.error ?? '');
    const html = String(inbox.mails.at(-1)?.html);
    assert.doesNotMatch(html, /<script|<img src=x/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('renders a Slack message with sections for top, growing and issues, within Block Kit limits', () => {
    const msg = renderSlackMessage(SAMPLE);
    assert.equal(msg.blocks[0]?.type, 'header');
    const sections = msg.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
    assert.match(sections.find((s) => s.startsWith('*Top links*')) ?? '', /1\. <https:\/\/go\.acme\.example\/spring\|Spring sale landing page>: 9,120/);
    assert.match(sections.find((s) => s.startsWith('*Fastest-growing*')) ?? '', /Webinar sign-up>: 4,388 \(previous 1,210\)/);
    assert.match(sections.find((s) => s.startsWith('*Suspected issues*')) ?? '', /incomplete UTM: <https:\/\/go\.acme\.example\/fall\|Fall teaser> \(missing utm_medium\)/);
    assert.ok(sections.some((s) => s.startsWith('*No activity despite an active campaign*')));
    assert.ok(msg.blocks.length <= 50);
    for (const s of sections) assert.ok(s.length <= 3000);
    assert.match(msg.text, /^Report: Weekly campaign summary — 18,342 clicks/);
  });
});
