import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSlackDestination } from '../../src/adapters/destinations/slack/create-slack-destination.ts';
import { renderSlackMessage } from '../../src/adapters/destinations/slack/render-slack-message.ts';
import { EVENT_CATALOGUE, EVENT_TYPES } from '../../src/domain/events/catalogue.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, loopbackHttp, startReceiver } from '../helpers/http-receiver.ts';
import { escalatedAlertEvent, groupedAlertEvent, makeCtx, makeEndpoint } from './destination-fixtures.ts';

// Slack incoming-webhook messages, checked at a loopback receiver standing in
// for hooks.slack.com, and Slack's error answers mapped as Slack documents them.

const sample = (type: keyof typeof EVENT_CATALOGUE): EventEnvelope => EVENT_CATALOGUE[type].sample;

describe('slack destination', () => {
  let receiver: HttpReceiver;
  const http = loopbackHttp();
  const slack = createSlackDestination(http);
  const endpoint = () => makeEndpoint('slack', {}, `${receiver.url}/services/T000/B000/XXXXSECRET`);

  before(async () => {
    receiver = await startReceiver(answer(200, 'ok'));
  });
  after(async () => {
    http.close();
    await receiver.close();
  });

  it('posts an alert as Block Kit: header, summary with fields, buttons, context, fallback text', async () => {
    const event = sample('alert.triggered');
    const result = await slack.send(makeCtx(event, endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const got = receiver.requests.at(-1);
    assert.equal(got?.path, '/services/T000/B000/XXXXSECRET');
    assert.match(String(got?.headers['content-type']), /^application\/json/);
    const msg = JSON.parse(got?.body ?? '{}');
    assert.match(msg.text, /^Alert: Click spike on campaign links on go\.acme\.example\/spring — go\.acme\.example\/spring got 1,240 clicks/);
    assert.deepEqual(msg.blocks.map((b: { type: string }) => b.type), ['header', 'section', 'actions', 'context']);
    assert.equal(msg.blocks[0].text.type, 'plain_text');
    assert.equal(msg.blocks[0].text.text, 'Alert: Click spike on campaign links on go.acme.example/spring');
    assert.match(msg.blocks[1].text.text, /^:large_yellow_circle: go\.acme\.example\/spring got 1,240 clicks/);
    const fields = msg.blocks[1].fields.map((f: { text: string }) => f.text);
    assert.ok(fields.includes('*Link*\n<https://go.acme.example/spring|go.acme.example/spring>'), fields.join(' | '));
    assert.ok(fields.includes('*Figures*\nclicks: 1240, threshold 600, over 15m'));
    assert.ok(fields.includes('*Owner*\nAna Lopez (ana@acme.example)'));
    assert.ok(fields.some((f: string) => f.startsWith('*Action*\nCheck the campaign')));
    assert.ok(fields.includes('*Severity*\nwarning'));
    const buttons = msg.blocks[2].elements.map((e: { url: string }) => e.url);
    assert.deepEqual(buttons, ['https://go.acme.example/spring', event.data.link?.destination_url, 'https://wiki.acme.example/runbooks/click-spike']);
    assert.match(msg.blocks[3].elements[0].text, /`alert\.triggered` · evt_/);
  });

  it('shows an escalation as one: header, first words of the sentence, a field', async () => {
    const result = await slack.send(makeCtx(escalatedAlertEvent(), endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const msg = JSON.parse(receiver.requests.at(-1)?.body ?? '{}');
    assert.equal(msg.blocks[0].text.text, 'Escalated: Click spike on campaign links on go.acme.example/spring');
    assert.equal(msg.blocks[1].text.text, ':large_yellow_circle: Escalated: not acknowledged within 30m. go.acme.example/spring got 1,240 clicks in 15 min, 6.2x its usual 200');
    assert.equal(msg.blocks[1].fields[0].text, '*Escalated*\nnot acknowledged within 30m (triggered 2026-03-14T09:30:00.000Z)');
    assert.match(msg.text, /^Escalated: Click spike on campaign links on go\.acme\.example\/spring — Escalated: not acknowledged within 30m\./);
  });

  it('shows a storm as "N links tripped <rule>" with the worst cases listed', async () => {
    const result = await slack.send(makeCtx(groupedAlertEvent(), endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const msg = JSON.parse(receiver.requests.at(-1)?.body ?? '{}');
    assert.deepEqual(msg.blocks.map((b: { type: string }) => b.type), ['header', 'section', 'section', 'actions', 'context']);
    assert.equal(msg.blocks[0].text.text, 'Alert: 12 links tripped Click spike on campaign links');
    assert.equal(msg.blocks[1].fields[0].text, '*Links affected*\n12');
    assert.equal(msg.blocks[2].text.text, '*Worst cases* (of 12)\n• /spring got 1240 clicks in 15m (threshold 600)\n• /summer got 900 clicks in 15m (threshold 600)');
    const resolved = renderSlackMessage(groupedAlertEvent('resolved')) as unknown as { blocks: { text: { text: string } }[] };
    assert.equal(resolved.blocks[0]?.text.text, 'Resolved: 12 links recovered from Click spike on campaign links');
  });

  it('shows country and device for clicks, and escapes Slack control characters', () => {
    const click = sample('link.clicked');
    const fields = renderSlackMessage(click).blocks[1];
    assert.equal(fields?.type, 'section');
    const texts = (fields as { fields: { text: string }[] }).fields.map((f) => f.text);
    assert.ok(texts.includes('*Country*\nBerlin, Berlin, DE'), texts.join(' | '));
    assert.ok(texts.includes('*Device*\nmobile · Mobile Safari · iOS'));
    const sneaky = { ...click, data: { ...click.data, link: { ...click.data.link!, owner: '<!channel> & friends' } } } as EventEnvelope;
    const owner = JSON.stringify(renderSlackMessage(sneaky));
    assert.ok(owner.includes('&lt;!channel&gt; &amp; friends'));
    assert.ok(!owner.includes('<!channel>'));
  });

  it('renders every catalogue event within Slack limits', () => {
    for (const type of EVENT_TYPES) {
      const msg = renderSlackMessage(EVENT_CATALOGUE[type].sample);
      assert.ok(msg.text.length > 0 && msg.text.length <= 3000, type);
      assert.ok(msg.blocks.length <= 50, type);
      for (const b of msg.blocks) {
        if (b.type === 'header') assert.ok(b.text.text.length > 0 && b.text.text.length <= 150, type);
        if (b.type === 'section') assert.ok((b.fields ?? []).length <= 10 && (b.fields ?? []).every((f) => f.text.length <= 2000), type);
      }
    }
  });

  it("treats Slack's 400/403/404 as permanent, 410 as gone, 429 and 5xx as retryable", async () => {
    const send = () => slack.send(makeCtx(sample('link.created'), endpoint()));
    for (const [status, body] of [[404, 'no_service'], [404, 'channel_not_found'], [400, 'invalid_blocks'], [403, 'invalid_token']] as const) {
      receiver.handle(answer(status, body));
      const r = await send();
      assert.deepEqual([r.ok, r.errorClass, r.permanent, r.response?.body], [false, 'http_status', true, body], `${status} ${body}`);
    }
    receiver.handle(answer(410, 'channel_is_archived'));
    let r = await send();
    assert.deepEqual([r.gone, r.permanent], [true, true]);
    receiver.handle(answer(429, 'rate_limited', { 'retry-after': '30' }));
    r = await send();
    assert.deepEqual([r.ok, r.permanent, r.retryAfterMs], [false, undefined, 30_000]);
    receiver.handle(answer(500, 'rollup_error'));
    r = await send();
    assert.deepEqual([r.ok, r.permanent], [false, undefined]);
    receiver.handle(answer(200, 'ok'));
  });

  it('masks the webhook secret in the attempt log and requires https URLs', async () => {
    const r = await slack.send(makeCtx(sample('link.created'), endpoint()));
    assert.equal(r.request?.url, `${receiver.url}/services/T000/B000/****`);
    assert.deepEqual(slack.validate({ url: 'http://hooks.slack.com/services/T/B/X', settings: {} }).map((p) => p.message), ['must be an https:// URL']);
    assert.deepEqual(slack.validate({ url: 'https://hooks.slack.com/services/T/B/X', settings: {} }), []);
    assert.equal(slack.validate({ url: null, settings: {} }).length, 1);
  });
});
