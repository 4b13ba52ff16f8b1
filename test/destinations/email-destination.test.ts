import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createEmailDestination, type EmailDestination } from '../../src/adapters/destinations/email/create-email-destination.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';
import { SAMPLE_LINK } from '../../src/domain/events/sample-link-events.ts';
import { escalatedAlertEvent, groupedAlertEvent, makeCtx, makeEndpoint } from './destination-fixtures.ts';

// A real SMTP server on loopback (smtp-server), real mail parsing
// (mailparser): the test sees exactly what a mail relay would receive.

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

function smtpError(message: string, code: number): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

describe('email destination', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port = 0;
  let email: EmailDestination;

  before(async () => {
    server = new SMTPServer({
      // Plain SMTP on loopback: STARTTLS would need a trusted certificate.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'relay' && auth.password === 's3cret') cb(null, { user: 'relay' });
        else cb(smtpError('Invalid login', 535));
      },
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('busy@')) cb(smtpError('Mailbox busy, try later', 450));
        else if (address.address.startsWith('nobody@')) cb(smtpError('No such user', 550));
        else cb();
      },
      onData(stream, session, cb) {
        simpleParser(stream)
          .then((mail) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
    email = createEmailDestination({ smtpUrl: `smtp://relay:s3cret@127.0.0.1:${port}`, from: 'linkhook <alerts@acme.example>' });
  });

  after(async () => {
    email.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends an alert as HTML and text to every recipient, with a stable Message-ID', async () => {
    const endpoint = makeEndpoint('email', { to: ['ana@acme.example', 'ops@acme.example'], cc: ['lead@acme.example'], subject_prefix: '[linkhook]' });
    const event = OTHER_EVENT_SAMPLES['alert.triggered'] as EventEnvelope;
    const r = await email.send(makeCtx(event, endpoint));
    assert.equal(r.ok, true, r.error ?? '');
    assert.equal(r.response?.status, 250);
    assert.equal(r.request?.method, 'SMTP');
    assert.equal(r.request?.url, `smtp://relay:***@127.0.0.1:${port}`, 'the relay password never reaches the attempt log');

    const got = received.at(-1);
    assert.ok(got);
    assert.deepEqual(got.envelopeTo.sort(), ['ana@acme.example', 'lead@acme.example', 'ops@acme.example']);
    const m = got.mail;
    assert.equal(m.subject, '[linkhook] Alert: Click spike on campaign links on go.acme.example/spring');
    assert.equal(m.from?.value[0]?.address, 'alerts@acme.example');
    assert.equal(m.messageId, `<${event.id}.${endpoint.id}@acme.example>`);
    assert.equal(m.headers.get('x-linkhook-event-type'), 'alert.triggered');

    const html = String(m.html);
    assert.match(html, /<h1[^>]*>Alert: Click spike on campaign links on go\.acme\.example\/spring<\/h1>/);
    assert.match(html, /go\.acme\.example\/spring got 1,240 clicks in 15 min, 6\.2x its usual 200/);
    assert.match(html, /<th[^>]*>Figures<\/th>\s*<td[^>]*>clicks: 1240, threshold 600, over 15m<\/td>/);
    assert.match(html, /<th[^>]*>Owner<\/th>\s*<td[^>]*>Ana Lopez \(ana@acme\.example\)<\/td>/);
    assert.match(html, /<th[^>]*>Action<\/th>/);
    assert.match(html, /<a href="https:\/\/go\.acme\.example\/spring"[^>]*>Open short link<\/a>/);

    const text = String(m.text);
    assert.match(text, /^Alert: Click spike on campaign links on go\.acme\.example\/spring\n=+\n\ngo\.acme\.example\/spring got 1,240 clicks/);
    assert.match(text, /Owner: +Ana Lopez \(ana@acme\.example\)/);
    assert.match(text, /Open short link: https:\/\/go\.acme\.example\/spring/);
  });

  it('sends an escalation that reads as one, in the subject, the HTML and the text', async () => {
    const r = await email.send(makeCtx(escalatedAlertEvent(), makeEndpoint('email', { to: 'oncall@acme.example' })));
    assert.equal(r.ok, true, r.error ?? '');
    const m = received.at(-1)!.mail;
    assert.equal(m.subject, 'Escalated: Click spike on campaign links on go.acme.example/spring');
    const html = String(m.html);
    assert.match(html, /<h1[^>]*>Escalated: Click spike on campaign links on go\.acme\.example\/spring<\/h1>/);
    assert.match(html, /<p[^>]*>Escalated: not acknowledged within 30m\. go\.acme\.example\/spring got 1,240 clicks/);
    assert.match(html, /<th[^>]*>Escalated<\/th><td[^>]*>not acknowledged within 30m \(triggered 2026-03-14T09:30:00\.000Z\)<\/td>/);
    const text = String(m.text);
    assert.match(text, /^Escalated: Click spike on campaign links on go\.acme\.example\/spring\n=+\n\nEscalated: not acknowledged within 30m\. /);
    assert.match(text, /\nEscalated: +not acknowledged within 30m \(triggered 2026-03-14T09:30:00\.000Z\)\n/);
  });

  it('sends a storm as "N links tripped <rule>" with the worst cases listed in both parts', async () => {
    const r = await email.send(makeCtx(groupedAlertEvent(), makeEndpoint('email', { to: 'ana@acme.example' })));
    assert.equal(r.ok, true, r.error ?? '');
    const m = received.at(-1)!.mail;
    assert.equal(m.subject, 'Alert: 12 links tripped Click spike on campaign links');
    const html = String(m.html);
    assert.match(html, /<th[^>]*>Links affected<\/th><td[^>]*>12<\/td>/);
    assert.match(html, /Worst cases \(of 12\)<\/p>\n<ul[^>]*>\n<li>\/spring got 1240 clicks in 15m \(threshold 600\)<\/li>\n<li>\/summer got 900 clicks in 15m \(threshold 600\)<\/li>\n<\/ul>/);
    assert.match(String(m.text), /\n\nWorst cases \(of 12\):\n  - \/spring got 1240 clicks in 15m \(threshold 600\)\n  - \/summer got 900 clicks in 15m \(threshold 600\)\n/);
  });

  it('escapes user data in the HTML part and keeps non-http links out of buttons', async () => {
    const base = OTHER_EVENT_SAMPLES['link.redirect_failed'] as EventEnvelope;
    const link = { ...SAMPLE_LINK, short_url: 'javascript:alert(1)', title: '<script>alert("x")</script>' };
    const event: EventEnvelope = { ...base, id: 'evt_01kkg07mdz2599sfr722hdmxz9', data: { ...base.data, link, note: '<img src=x onerror=alert(1)>' } };
    const r = await email.send(makeCtx(event, makeEndpoint('email', { to: 'ana@acme.example' })));
    assert.equal(r.ok, true, r.error ?? '');
    const html = String(received.at(-1)?.mail.html);
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(html, /href="javascript:/);
  });

  it('retries a 4xx (transient) and gives up on a 5xx (permanent) as smtp errors', async () => {
    const busy = await email.send(makeCtx(OTHER_EVENT_SAMPLES['alert.triggered'], makeEndpoint('email', { to: ['busy@acme.example'] })));
    assert.equal(busy.ok, false);
    assert.equal(busy.errorClass, 'smtp');
    assert.equal(busy.permanent, false);
    assert.equal(busy.response?.status, 450);

    const gone = await email.send(makeCtx(OTHER_EVENT_SAMPLES['alert.triggered'], makeEndpoint('email', { to: ['nobody@acme.example'] })));
    assert.equal(gone.ok, false);
    assert.equal(gone.errorClass, 'smtp');
    assert.equal(gone.permanent, true);
    assert.equal(gone.response?.status, 550);
  });

  it('reports bad relay credentials as a retryable config error', async () => {
    const wrong = createEmailDestination({ smtpUrl: `smtp://relay:wrong@127.0.0.1:${port}`, from: 'alerts@acme.example' });
    try {
      const r = await wrong.send(makeCtx(OTHER_EVENT_SAMPLES['alert.triggered'], makeEndpoint('email', { to: ['ana@acme.example'] })));
      assert.equal(r.ok, false);
      assert.equal(r.errorClass, 'config');
      assert.equal(r.permanent, false);
    } finally {
      wrong.close();
    }
  });

  it('validates recipients and needs an SMTP relay', () => {
    assert.deepEqual(email.validate({ url: null, settings: { to: ['ana@acme.example'] } }), []);
    const problems = email.validate({ url: null, settings: { to: ['ana@acme.example', 'not an address', 'x@y'], cc: 'a@b..c', subject_prefix: 'a\r\nBcc: evil@x.example' } });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['settings.to[1]', 'settings.to[2]', 'settings.cc[0]', 'settings.subject_prefix'],
    );
    assert.deepEqual(email.validate({ url: null, settings: {} }).map((p) => p.field), ['settings.to']);
    const off = createEmailDestination({ smtpUrl: undefined, from: 'alerts@acme.example' });
    assert.deepEqual(off.validate({ url: null, settings: { to: ['ana@acme.example'] } }).map((p) => p.field), ['kind']);
  });
});
