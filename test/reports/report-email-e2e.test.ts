import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { runDueReports } from '../../src/domain/reports/run-due-reports.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// The whole path on a real server: a link gets visits through the redirect,
// a report schedule fires (ManualClock), the in-process delivery worker
// sends the summary to an email endpoint over a real SMTP server, and the
// mail has the figures and its chart.

describe('scheduled report by email, end to end', () => {
  let inbox: SmtpInbox;
  let t: TestLinkhook;
  const clock = new ManualClock('2026-05-04T09:00:00Z');

  before(async () => {
    inbox = await startSmtpInbox();
    t = await startLinkhook({ clock, env: { LINKHOOK_BASE_URL: 'http://lnk.test', LINKHOOK_SMTP_URL: inbox.url, LINKHOOK_SMTP_FROM: 'reports@acme.example' } });
  });
  after(async () => {
    await t.close();
    await inbox.close();
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
    const delivered = inbox.next();
    const [outcome] = await runDueReports({ storage: t.lh.storage, clock, baseUrl: 'http://lnk.test', customDomainScheme: 'http' });
    assert.equal(outcome?.status, 'sent');
    t.lh.deliverySignal.notify();
    const mail = await delivered;
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
