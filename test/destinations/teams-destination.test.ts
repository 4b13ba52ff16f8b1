import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTeamsDestination } from '../../src/adapters/destinations/teams/create-teams-destination.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, loopbackHttp, startReceiver } from '../helpers/http-receiver.ts';
import { escalatedAlertEvent, groupedAlertEvent, makeCtx, makeEndpoint } from './destination-fixtures.ts';

// Teams Workflows webhooks: one Adaptive Card attachment, checked at a
// loopback receiver standing in for the Power Automate trigger URL.

describe('teams destination', () => {
  let receiver: HttpReceiver;
  const http = loopbackHttp();
  const teams = createTeamsDestination(http);
  const endpoint = () => makeEndpoint('teams', {}, `${receiver.url}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIG`);

  before(async () => {
    receiver = await startReceiver(answer(202));
  });
  after(async () => {
    http.close();
    await receiver.close();
  });

  it('posts a message with an Adaptive Card 1.4: title, summary, facts, open-url actions', async () => {
    const event = EVENT_CATALOGUE['link.redirect_failed'].sample as EventEnvelope;
    const result = await teams.send(makeCtx(event, endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    assert.equal(result.response?.status, 202);
    const got = receiver.requests.at(-1);
    assert.equal(got?.path, '/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIG');
    const msg = JSON.parse(got?.body ?? '{}');
    assert.equal(msg.type, 'message');
    assert.equal(msg.attachments.length, 1);
    assert.equal(msg.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    const card = msg.attachments[0].content;
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.4');
    assert.equal(card.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
    assert.deepEqual(card.body.map((b: { type: string }) => b.type), ['TextBlock', 'TextBlock', 'FactSet', 'TextBlock']);
    assert.equal(card.body[0].text, 'Broken redirect: go.acme.example/spring');
    assert.equal(card.body[0].color, 'Attention');
    assert.match(card.body[1].text, /failing/);
    const facts = Object.fromEntries(card.body[2].facts.map((f: { title: string; value: string }) => [f.title, f.value]));
    assert.equal(facts.Link, 'https://go.acme.example/spring');
    assert.equal(facts['Last check'], 'HTTP 503 Service Unavailable in 412 ms');
    assert.equal(facts['Consecutive failures'], '3');
    assert.deepEqual(card.actions[0], { type: 'Action.OpenUrl', title: 'Open short link', url: 'https://go.acme.example/spring' });
    assert.match(card.body[3].text, /link\.redirect_failed/);
  });

  it('shows an escalation in the title, the sentence and the first fact', async () => {
    const result = await teams.send(makeCtx(escalatedAlertEvent(), endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const card = JSON.parse(receiver.requests.at(-1)?.body ?? '{}').attachments[0].content;
    assert.equal(card.body[0].text, 'Escalated: Click spike on campaign links on go.acme.example/spring');
    assert.equal(card.body[1].text, 'Escalated: not acknowledged within 30m. go.acme.example/spring got 1,240 clicks in 15 min, 6.2x its usual 200');
    assert.deepEqual(card.body[2].facts[0], { title: 'Escalated', value: 'not acknowledged within 30m (triggered 2026-03-14T09:30:00.000Z)' });
  });

  it('shows a storm as "N links tripped <rule>" with the worst cases as a list', async () => {
    const result = await teams.send(makeCtx(groupedAlertEvent(), endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const card = JSON.parse(receiver.requests.at(-1)?.body ?? '{}').attachments[0].content;
    assert.deepEqual(card.body.map((b: { type: string }) => b.type), ['TextBlock', 'TextBlock', 'FactSet', 'TextBlock', 'TextBlock', 'TextBlock']);
    assert.equal(card.body[0].text, 'Alert: 12 links tripped Click spike on campaign links');
    assert.deepEqual(card.body[2].facts[0], { title: 'Links affected', value: '12' });
    assert.equal(card.body[3].text, 'Worst cases (of 12)');
    assert.equal(card.body[4].text, '- /spring got 1240 clicks in 15m (threshold 600)\n- /summer got 900 clicks in 15m (threshold 600)');
  });

  it('maps answers: 400/401/403/404 permanent, 410 gone, 429 and 5xx retried; masks the sig', async () => {
    const send = () => teams.send(makeCtx(EVENT_CATALOGUE['alert.triggered'].sample, endpoint()));
    for (const status of [400, 401, 403, 404]) {
      receiver.handle(answer(status, 'nope'));
      const r = await send();
      assert.deepEqual([r.ok, r.permanent], [false, true], String(status));
    }
    receiver.handle(answer(410));
    assert.equal((await send()).gone, true);
    receiver.handle(answer(429, '', { 'retry-after': '2' }));
    let r = await send();
    assert.deepEqual([r.permanent, r.retryAfterMs], [undefined, 2000]);
    receiver.handle(answer(502));
    r = await send();
    assert.deepEqual([r.ok, r.permanent], [false, undefined]);
    assert.ok(!r.request?.url.includes('SECRETSIG'));
    assert.deepEqual(teams.validate({ url: 'http://example.com/x', settings: {} }).map((p) => p.field), ['url']);
  });
});
