import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PNG } from 'pngjs';
import { SMTPServer } from 'smtp-server';
import { runDueReports } from '../../src/domain/reports/run-due-reports.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// The whole path on a real server: a link gets visits through the redirect,
// a report schedule fires (ManualClock), the in-process delivery worker
// sends the summary to an email endpoint over a real SMTP server, and the
// mail has the figures and its chart.

describe('scheduled report by email, end to end', () => {
  const inbox: ParsedMail[] = [];
  let smtp: SMTPServer;
  let t: TestLinkhook;
  const clock = new ManualClock('2026-05-04T09:00:00Z');

  before(async () => {
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream, { keepCidLinks: true })
          .then((mail) => {
            inbox.push(mail);
            smtp.emit('mail');
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    t = await startLinkhook({ clock, env: { LINKHOOK_BASE_URL: 'http://lnk.test', LINKHOOK_SMTP_URL: `smtp://127.0.0.1:${port}`, LINKHOOK_SMTP_FROM: 'reports@acme.example' } });
  });
  after(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('delivers the summary email with figures and an inline PNG chart', async () => {
    const link = await t.api('POST', '/api/v1/links', { url: 'https://acme.example/sale', slug: 'sale', title: 'Sale', campaign: 'may', utm: { source: 'news', medium: 'email', campaign: 'may' } });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    for (let i = 0; i < 3; i++) {
      const visit = await fetch(`${t.url}/sale`, { redirect: 'manual', headers: { host: 'lnk.test', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0' } });
      assert.equal(visit.status, 302);
    }
    const ep = await t.api('POST', '/api/v1/endpoints', { kind: 'email', name: 'Ana', settings: { to: ['ana@acme.example'] }, events: ['report.summary'], class: 'report' });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const report = await t.api('POST', '/api/v1/reports', { name: 'May daily', cron: '0 7 * * *', timezone: 'UTC', endpoint_ids: [ep.body.id] });
    assert.equal(report.status, 201, JSON.stringify(report.body));

    clock.set('2026-05-05T07:00:30Z');
    const delivered = once(smtp, 'mail');
    const [outcome] = await runDueReports({ storage: t.lh.storage, clock, baseUrl: 'http://lnk.test', customDomainScheme: 'http' });
    assert.equal(outcome?.status, 'sent');
    t.lh.deliverySignal.notify();
    await delivered;

    const mail = inbox.at(-1);
    assert.ok(mail);
    assert.equal(mail.subject, 'Report: May daily');
    const html = String(mail.html);
    assert.match(html, /3 clicks · 1 unique visitors · 0 QR scans/);
    assert.match(html, /<td[^>]*>lnk\.test\/sale \(Sale\)<\/td><td[^>]*>3<\/td>/);
    const chart = mail.attachments.find((a) => a.contentType === 'image/png');
    assert.ok(chart);
    assert.ok(html.includes(`cid:${chart.cid ?? '?'}`));
    assert.equal(PNG.sync.read(chart.content).width, 560);
  });
});
