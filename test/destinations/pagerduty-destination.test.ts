import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPagerDutyDestination } from '../../src/adapters/destinations/pagerduty/create-pagerduty-destination.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, loopbackHttp, startReceiver } from '../helpers/http-receiver.ts';
import { alertEvent, escalatedAlertEvent, groupedAlertEvent, makeCtx, makeEndpoint } from './destination-fixtures.ts';

// PagerDuty Events API v2 at a loopback receiver standing in for
// events.pagerduty.com/v2/enqueue (which answers 202 Accepted).

const ROUTING_KEY = 'R0123456789abcdef0123456789ABCDE';

describe('pagerduty destination', () => {
  let receiver: HttpReceiver;
  const http = loopbackHttp();
  const pd = createPagerDutyDestination(http);
  const endpoint = () => makeEndpoint('pagerduty', { routing_key: ROUTING_KEY, url: `${receiver.url}/v2/enqueue` });
  const lastBody = () => JSON.parse(receiver.requests.at(-1)?.body ?? '{}');

  before(async () => {
    receiver = await startReceiver(answer(202, '{"status":"success","message":"Event processed","dedup_key":"x"}', { 'content-type': 'application/json' }));
  });
  after(async () => {
    http.close();
    await receiver.close();
  });

  it('triggers on alert.triggered with the fingerprint as dedup_key', async () => {
    const event = alertEvent('triggered', 'rule_spike:lnk_1', { severity: 'critical' });
    const result = await pd.send(makeCtx(event, endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    assert.equal(result.response?.status, 202);
    assert.equal(receiver.requests.at(-1)?.path, '/v2/enqueue');
    const body = lastBody();
    assert.equal(body.routing_key, ROUTING_KEY);
    assert.equal(body.event_action, 'trigger');
    assert.equal(body.dedup_key, 'rule_spike:lnk_1');
    assert.equal(body.payload.severity, 'critical');
    assert.match(body.payload.summary, /^Alert: Click spike on campaign links on go\.acme\.example\/spring: go\.acme\.example\/spring got 1,240 clicks/);
    assert.equal(body.payload.source, 'go.acme.example');
    assert.equal(body.payload.component, 'https://go.acme.example/spring');
    assert.equal(body.payload.class, 'clicks');
    assert.equal(body.payload.timestamp, event.timestamp);
    assert.equal(body.payload.custom_details.Figures, 'clicks: 1240, threshold 600, over 15m');
    assert.equal(body.payload.custom_details.event_id, event.id);
    assert.ok(body.links.some((l: { href: string }) => l.href === 'https://wiki.acme.example/runbooks/click-spike'));
    // the integration key is masked in the attempt log
    assert.ok(!result.request?.body.includes(ROUTING_KEY));
    assert.match(result.request?.body ?? '', /\*\*\*\*BCDE/);
  });

  it('an escalation triggers the same incident key, marked as an escalation', async () => {
    const event = escalatedAlertEvent();
    const result = await pd.send(makeCtx(event, endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const body = lastBody();
    assert.equal(body.dedup_key, (event.data.alert as { fingerprint: string }).fingerprint);
    assert.match(body.payload.summary, /^Escalated: Click spike on campaign links on go\.acme\.example\/spring: go\.acme\.example\/spring got 1,240 clicks/);
    assert.equal(body.payload.custom_details.escalation, 'Escalated: not acknowledged within 30m');
    assert.equal(body.payload.custom_details.Escalated, 'not acknowledged within 30m (triggered 2026-03-14T09:30:00.000Z)');
  });

  it('a storm is one incident: "N links tripped <rule>", the worst cases in the details', async () => {
    const result = await pd.send(makeCtx(groupedAlertEvent(), endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    const body = lastBody();
    assert.equal(body.dedup_key, 'rule_spike:group');
    assert.equal(body.payload.summary, 'Alert: 12 links tripped Click spike on campaign links: 12 links tripped "Click spike on campaign links" at once; worst: /spring, /summer');
    assert.equal(body.payload.source, 'linkhook');
    assert.equal(body.payload.custom_details['Links affected'], '12');
    assert.deepEqual(body.payload.custom_details.worst_cases, ['/spring got 1240 clicks in 15m (threshold 600)', '/summer got 900 clicks in 15m (threshold 600)']);
  });

  it('resolves on alert.resolved with the same dedup_key', async () => {
    await pd.send(makeCtx(alertEvent('resolved', 'rule_spike:lnk_1'), endpoint()));
    assert.deepEqual(lastBody(), { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'rule_spike:lnk_1', client: 'linkhook' });
  });

  it('pairs redirect_failed/recovered and pages other events once per event id', async () => {
    const failed = EVENT_CATALOGUE['link.redirect_failed'].sample as EventEnvelope;
    await pd.send(makeCtx(failed, endpoint()));
    const trig = lastBody();
    assert.deepEqual([trig.event_action, trig.dedup_key, trig.payload.severity], ['trigger', `linkhook:redirect:${failed.data.link?.id}`, 'error']);
    await pd.send(makeCtx(EVENT_CATALOGUE['link.redirect_recovered'].sample, endpoint()));
    assert.deepEqual([lastBody().event_action, lastBody().dedup_key], ['resolve', trig.dedup_key]);
    const created = EVENT_CATALOGUE['link.created'].sample as EventEnvelope;
    await pd.send(makeCtx(created, endpoint()));
    assert.deepEqual([lastBody().event_action, lastBody().dedup_key, lastBody().payload.severity], ['trigger', created.id, 'info']);
  });

  it('maps answers: 400 permanent, 429 and 5xx retried, 410 gone', async () => {
    const send = () => pd.send(makeCtx(alertEvent('triggered', 'fp'), endpoint()));
    receiver.handle(answer(400, '{"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect"]}'));
    let r = await send();
    assert.deepEqual([r.ok, r.errorClass, r.permanent], [false, 'http_status', true]);
    assert.match(r.response?.body ?? '', /routing_key/);
    receiver.handle(answer(429, '', { 'retry-after': '60' }));
    r = await send();
    assert.deepEqual([r.permanent, r.retryAfterMs], [undefined, 60_000]);
    receiver.handle(answer(500));
    r = await send();
    assert.deepEqual([r.ok, r.permanent], [false, undefined]);
    receiver.handle(answer(410));
    assert.equal((await send()).gone, true);
    receiver.handle(answer(202));
  });

  it('validates the routing key and URL, and fails without a request when the key is missing', async () => {
    assert.deepEqual(pd.validate({ url: null, settings: { routing_key: ROUTING_KEY } }), []);
    assert.deepEqual(pd.validate({ url: null, settings: {} }).map((p) => p.field), ['settings.routing_key']);
    assert.deepEqual(pd.validate({ url: null, settings: { routing_key: 'short key!' } }).map((p) => p.field), ['settings.routing_key']);
    assert.deepEqual(pd.validate({ url: null, settings: { routing_key: ROUTING_KEY, url: 'http://events.pagerduty.com/v2/enqueue' } }).map((p) => p.field), ['settings.url']);
    const r = await pd.send(makeCtx(alertEvent('triggered', 'fp'), makeEndpoint('pagerduty', {})));
    assert.deepEqual([r.ok, r.errorClass, r.permanent, r.request], [false, 'config', true, null]);
  });
});
