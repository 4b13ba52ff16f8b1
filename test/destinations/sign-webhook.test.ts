import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, webhookSecretKey } from '../../src/domain/delivery/sign-webhook.ts';

// Our signer against the official `standardwebhooks` package and the
// specification's published test vector.

const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signWebhook (Standard Webhooks)', () => {
  it('reproduces the specification test vector exactly', () => {
    const headers = signWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.body, secrets: [VECTOR.secret] });
    assert.deepEqual(headers, { 'webhook-id': VECTOR.id, 'webhook-timestamp': '1614265330', 'webhook-signature': VECTOR.signature });
    // and the reference implementation agrees with the vector too
    assert.equal(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body), VECTOR.signature);
  });

  it('is verified by the official package', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 'evt_1', type: 'link.created', note: 'ünïcödé ✓' });
    const headers = signWebhook({ id: 'evt_1', timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] });
    assert.deepEqual(new Webhook(secret).verify(body, { ...headers }), JSON.parse(body));
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, { ...headers }), /No matching signature/);
    assert.throws(() => new Webhook(secret).verify(`${body} `, { ...headers }), /No matching signature/);
  });

  it('signs with every active secret during rotation, space-separated, and each verifies', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"x":1}';
    const headers = signWebhook({ id: 'evt_2', timestamp: Math.floor(Date.now() / 1000), body, secrets: [a, b] });
    const parts = headers['webhook-signature'].split(' ');
    assert.equal(parts.length, 2);
    assert.ok(parts.every((p) => p.startsWith('v1,')));
    for (const s of [a, b]) assert.deepEqual(new Webhook(s).verify(body, { ...headers }), { x: 1 });
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const s = newWebhookSecret();
    assert.match(s, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
    assert.equal(webhookSecretKey(s).length, 32);
    assert.notEqual(newWebhookSecret(), s);
  });

  it('refuses input that would sign something ambiguous or with no key', () => {
    assert.throws(() => signWebhook({ id: 'evt_1', timestamp: 1, body: '', secrets: [] }), /at least one secret/);
    assert.throws(() => signWebhook({ id: 'a.b', timestamp: 1, body: '', secrets: [VECTOR.secret] }), /id/);
    assert.throws(() => signWebhook({ id: 'evt_1', timestamp: 1.5, body: '', secrets: [VECTOR.secret] }), /seconds/);
    assert.throws(() => signWebhook({ id: 'evt_1', timestamp: 1, body: '', secrets: ['whsec_not base64!'] }), /base64/);
  });
});
