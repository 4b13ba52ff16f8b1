import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createHttpDestination } from '../../src/adapters/destinations/http/create-http-destination.ts';
import { MAX_LOGGED_BODY_BYTES } from '../../src/domain/delivery/destination.ts';
import type { Endpoint } from '../../src/domain/delivery/endpoint.ts';
import { newWebhookSecret } from '../../src/domain/delivery/sign-webhook.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, loopbackHttp, startReceiver } from '../helpers/http-receiver.ts';
import { makeCtx, makeEndpoint } from './destination-fixtures.ts';

// The `http` destination against a real receiver that verifies every
// delivery with the official standardwebhooks package.

const EVENT = EVENT_CATALOGUE['link.created'].sample as EventEnvelope;

describe('http destination', () => {
  let receiver: HttpReceiver;
  const http = loopbackHttp();
  const destination = createHttpDestination(http);
  const secret = newWebhookSecret();

  function endpoint(patch: Partial<Endpoint> = {}): Endpoint {
    return { ...makeEndpoint('http', {}, `${receiver.url}/hooks/linkhook`), secrets: [{ secret, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null }], ...patch };
  }

  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    http.close();
    await receiver.close();
  });

  it('POSTs the envelope as JSON with Standard Webhooks headers the official package verifies', async () => {
    receiver.handle(answer(204));
    const result = await destination.send(makeCtx(EVENT, endpoint()));
    assert.equal(result.ok, true, result.error ?? '');
    assert.equal(result.errorClass, null);
    assert.equal(result.response?.status, 204);
    const got = receiver.requests.at(-1);
    assert.ok(got);
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/hooks/linkhook');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.match(String(got.headers['user-agent']), /^linkhook-webhooks\/\d+\.\d+\.\d+/);
    assert.equal(got.headers['webhook-id'], EVENT.id);
    assert.deepEqual(new Webhook(secret).verify(got.body, got.headers as Record<string, string>), JSON.parse(JSON.stringify(EVENT)));
    assert.equal(got.body, JSON.stringify(EVENT));
    // what the attempt log keeps is what was sent
    assert.equal(result.request?.body, got.body);
    assert.equal(result.request?.headers['webhook-id'], EVENT.id);
  });

  it('keeps webhook-id across retries and signs with every active secret, not expired ones', async () => {
    receiver.handle(answer(200));
    const rotatedOut = newWebhookSecret();
    const expired = newWebhookSecret();
    const ep = endpoint({
      secrets: [
        { secret, createdAt: '2026-03-01T00:00:00.000Z', expiresAt: null },
        { secret: rotatedOut, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
        { secret: expired, createdAt: '2025-01-01T00:00:00.000Z', expiresAt: '2025-06-01T00:00:00.000Z' },
      ],
    });
    await destination.send(makeCtx(EVENT, ep, undefined, 1));
    await destination.send(makeCtx(EVENT, ep, undefined, 2));
    const [first, second] = receiver.requests.slice(-2);
    assert.equal(first?.headers['webhook-id'], EVENT.id);
    assert.equal(second?.headers['webhook-id'], EVENT.id);
    assert.equal(String(second?.headers['webhook-signature']).split(' ').length, 2);
    for (const s of [secret, rotatedOut]) new Webhook(s).verify(second?.body ?? '', second?.headers as Record<string, string>);
    assert.throws(() => new Webhook(expired).verify(second?.body ?? '', second?.headers as Record<string, string>), /No matching signature/);
  });

  it('adds custom headers, and redacts credentials in the attempt log', async () => {
    receiver.handle(answer(200));
    const ep = endpoint({ settings: { headers: { Authorization: 'Bearer s3cret', 'X-Team': 'growth' } } });
    assert.deepEqual(destination.validate(ep), []);
    const result = await destination.send(makeCtx(EVENT, ep));
    const got = receiver.requests.at(-1);
    assert.equal(got?.headers.authorization, 'Bearer s3cret');
    assert.equal(got?.headers['x-team'], 'growth');
    assert.equal(result.request?.headers.authorization, '[redacted]');
    assert.equal(result.request?.headers['x-team'], 'growth');
  });

  it('refuses custom headers that would change the delivery', () => {
    const bad = { Host: 'evil', 'webhook-signature': 'v1,x', 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', Connection: 'close', 'X-Ok': 'a\r\nInjected: 1', 'bad name': 'x', 'X-Num': 5 };
    const fields = destination.validate(endpoint({ settings: { headers: bad } })).map((p) => p.field);
    for (const name of Object.keys(bad)) assert.ok(fields.includes(`settings.headers.${name}`), name);
    assert.deepEqual(destination.validate(endpoint({ settings: { headers: ['x'] } })).map((p) => p.field), ['settings.headers']);
    assert.deepEqual(destination.validate({ url: 'ftp://x', settings: {} }).map((p) => p.field), ['url']);
    assert.deepEqual(destination.validate({ url: null, settings: {} }).map((p) => p.field), ['url']);
  });

  it('maps receiver answers: 3xx redirect, 410 gone, 429/5xx retry with Retry-After, other 4xx retried', async () => {
    const send = () => destination.send(makeCtx(EVENT, endpoint()));

    receiver.handle(answer(302, '', { location: 'http://127.0.0.1:1/elsewhere' }));
    let r = await send();
    assert.equal(r.ok, false);
    assert.equal(r.errorClass, 'redirect');
    assert.match(r.error ?? '', /302/);

    receiver.handle(answer(410, 'bye'));
    r = await send();
    assert.deepEqual([r.ok, r.errorClass, r.gone, r.permanent], [false, 'http_status', true, true]);

    receiver.handle(answer(429, 'slow down', { 'retry-after': '7' }));
    r = await send();
    assert.deepEqual([r.ok, r.errorClass, r.permanent, r.retryAfterMs], [false, 'http_status', undefined, 7000]);

    const later = new Date(Date.now() + 120_000).toUTCString();
    receiver.handle(answer(503, 'maintenance', { 'retry-after': later }));
    r = await send();
    assert.equal(r.errorClass, 'http_status');
    assert.ok(r.retryAfterMs !== undefined && r.retryAfterMs > 60_000 && r.retryAfterMs <= 120_000, String(r.retryAfterMs));

    receiver.handle(answer(500, 'boom'));
    r = await send();
    assert.deepEqual([r.ok, r.permanent, r.retryAfterMs, r.response?.body], [false, undefined, undefined, 'boom']);

    receiver.handle(answer(401, 'wrong secret'));
    r = await send();
    assert.deepEqual([r.ok, r.errorClass, r.permanent], [false, 'http_status', false]);
  });

  it('caps the response body kept in the attempt log', async () => {
    receiver.handle(answer(500, 'e'.repeat(MAX_LOGGED_BODY_BYTES * 2)));
    const r = await destination.send(makeCtx(EVENT, endpoint()));
    assert.equal(r.response?.body.length, MAX_LOGGED_BODY_BYTES);
  });

  it('fails as blocked, without a request, when the operator has not allowed the address', async () => {
    const strict = loopbackHttp([]);
    const before = receiver.requests.length;
    const r = await createHttpDestination(strict).send(makeCtx(EVENT, endpoint()));
    strict.close();
    assert.deepEqual([r.ok, r.errorClass, r.response], [false, 'blocked', null]);
    assert.match(r.error ?? '', /127\.0\.0\.1/);
    assert.equal(receiver.requests.length, before);
  });

  it('fails permanently, without a request, when no secret is active', async () => {
    const r = await destination.send(makeCtx(EVENT, endpoint({ secrets: [{ secret, createdAt: '2025-01-01T00:00:00.000Z', expiresAt: '2025-02-01T00:00:00.000Z' }] })));
    assert.deepEqual([r.ok, r.errorClass, r.permanent, r.request], [false, 'config', true, null]);
  });
});
