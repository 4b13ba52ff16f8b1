import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '../../src/domain/delivery/endpoint.ts';
import { matchEndpoint } from '../../src/domain/delivery/match-endpoint.ts';
import { rateLimitKey } from '../../src/domain/delivery/rate-limit.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, judgeAttempt, retryDelayMs } from '../../src/domain/delivery/retry-schedule.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';

const fail = { ok: false, request: null, response: null, durationMs: 1, errorClass: 'http_status' as const, error: 'x' };

void describe('retry schedule', () => {
  void it('spans about three days over 15 attempts, jittered ±50 % around the documented delays', () => {
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    assert.equal(MAX_ATTEMPTS, 15);
    assert.equal(Math.round(total / 3_600_000), 76, '75.7 hours');
    assert.equal(retryDelayMs(1, () => 0.5), 5000);
    assert.equal(retryDelayMs(1, () => 0), 2500);
    assert.equal(retryDelayMs(1, () => 0.999999), 7500);
    assert.equal(retryDelayMs(15, () => 0.5), null, 'budget spent');
  });

  void it('honours Retry-After up to an hour; 2xx only succeeds; permanent and 410 stop', () => {
    assert.equal(retryDelayMs(1, () => 0.5, 90_000), 90_000);
    assert.equal(retryDelayMs(1, () => 0.5, 10 * 3_600_000), 3_600_000);
    assert.equal(retryDelayMs(9, () => 0.5, 1000), 8 * 3_600_000, 'never sooner than the schedule');
    assert.deepEqual(judgeAttempt({ ...fail, ok: true, errorClass: null }, 1, Math.random), { kind: 'succeeded' });
    assert.deepEqual(judgeAttempt({ ...fail, gone: true, permanent: true }, 1, Math.random), { kind: 'gone' });
    assert.deepEqual(judgeAttempt({ ...fail, permanent: true }, 1, Math.random), { kind: 'failed', why: 'permanent' });
    assert.deepEqual(judgeAttempt({ ...fail, errorClass: 'redirect' }, 2, () => 0.5), { kind: 'retry', delayMs: 30_000 });
    assert.deepEqual(judgeAttempt(fail, MAX_ATTEMPTS, () => 0.5), { kind: 'failed', why: 'exhausted' });
  });
});

void describe('endpoint matching', () => {
  const clicked = EVENT_CATALOGUE['link.clicked'].sample as EventEnvelope;
  const ep = (over: Partial<Endpoint> = {}): Endpoint =>
    ({ id: 'ep_x', workspaceId: clicked.workspace_id, events: ['link.clicked'], filter: {}, enabled: true, ...over }) as Endpoint;
  const withClick = (c: Record<string, unknown>, l: Record<string, unknown> = {}): EventEnvelope => ({
    ...clicked,
    data: { ...clicked.data, click: { ...clicked.data.click!, ...c }, link: { ...clicked.data.link!, ...l } },
  });

  void it('needs the type and the workspace', () => {
    assert.equal(matchEndpoint(ep(), clicked), true);
    assert.equal(matchEndpoint(ep({ events: ['link.created'] }), clicked), false);
    assert.equal(matchEndpoint(ep({ workspaceId: 'ws_other' }), clicked), false);
  });

  void it('filters on link ids, tags, campaigns, domains, countries, devices and QR', () => {
    const link = clicked.data.link!;
    const click = clicked.data.click!;
    assert.equal(matchEndpoint(ep({ filter: { link_ids: [link.id] } }), clicked), true);
    assert.equal(matchEndpoint(ep({ filter: { link_ids: ['lnk_other'] } }), clicked), false);
    assert.equal(matchEndpoint(ep({ filter: { tags: ['nope'] } }), withClick({}, { tags: ['a', 'b'] })), false);
    assert.equal(matchEndpoint(ep({ filter: { tags: ['b'] } }), withClick({}, { tags: ['a', 'b'] })), true);
    assert.equal(matchEndpoint(ep({ filter: { campaigns: ['spring'] } }), withClick({}, { campaign: null })), false);
    assert.equal(matchEndpoint(ep({ filter: { domains: [null] } }), withClick({}, { domain: null })), true);
    assert.equal(matchEndpoint(ep({ filter: { countries: ['DE'] } }), withClick({ country: 'FR' })), false);
    assert.equal(matchEndpoint(ep({ filter: { devices: ['mobile'] } }), withClick({ device: 'mobile' })), true);
    assert.equal(matchEndpoint(ep({ filter: { qr: true } }), withClick({ is_qr: false })), false);
    assert.equal(click.is_bot, false);
  });

  void it('leaves out bots and test traffic unless asked', () => {
    assert.equal(matchEndpoint(ep(), withClick({ is_bot: true })), false);
    assert.equal(matchEndpoint(ep({ filter: { include_bots: true } }), withClick({ is_bot: true })), true);
    assert.equal(matchEndpoint(ep(), withClick({ is_test: true })), false);
    assert.equal(matchEndpoint(ep(), withClick({}, { is_test: true })), false, 'a test link counts as test traffic');
    assert.equal(matchEndpoint(ep({ filter: { include_test: true } }), withClick({ is_test: true })), true);
  });

  void it('does not tell an endpoint about itself', () => {
    const disabled = { ...(EVENT_CATALOGUE['endpoint.disabled'].sample as EventEnvelope), workspace_id: clicked.workspace_id };
    const subject = (disabled.data.endpoint as { id: string }).id;
    assert.equal(matchEndpoint(ep({ id: subject, events: ['endpoint.disabled'] }), disabled), false);
    assert.equal(matchEndpoint(ep({ events: ['endpoint.disabled'] }), disabled), true);
  });
});

void describe('rate-limit key', () => {
  void it('is the webhook URL for Slack (hashed: the URL is a credential), the endpoint for every other kind', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/secretpart';
    const one = rateLimitKey({ id: 'ep_1', kind: 'slack', url });
    assert.equal(rateLimitKey({ id: 'ep_2', kind: 'slack', url }), one);
    assert.notEqual(rateLimitKey({ id: 'ep_1', kind: 'slack', url: `${url}x` }), one);
    assert.ok(!one.includes('secretpart'));
    assert.equal(rateLimitKey({ id: 'ep_3', kind: 'http', url }), 'ep_3');
    assert.equal(rateLimitKey({ id: 'ep_4', kind: 'teams', url }), 'ep_4');
  });
});
