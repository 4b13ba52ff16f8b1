import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { startReceiver } from '../helpers/http-receiver.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A receiver that never answers must not take the whole worker: it gets at
// most its share of the slots, and a healthy endpoint's deliveries go out
// while the stuck ones wait.
describe('one stuck endpoint and a healthy one', () => {
  let lh: TestLinkhook;
  let stuck: HttpReceiver;
  let healthy: HttpReceiver;
  const held: ServerResponse[] = [];
  let open = 0;
  let mostOpen = 0;

  before(async () => {
    stuck = await startReceiver((_req, res) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      held.push(res);
      res.on('close', () => open--);
    });
    healthy = await startReceiver();
    lh = await startLinkhook({ env: { LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8', LINKHOOK_WORKER_CONCURRENCY: '8', LINKHOOK_WORKER_POLL_MS: '20' } });
    for (const r of [stuck, healthy]) {
      const ep = await lh.api('POST', '/api/v1/endpoints', { kind: 'http', url: `${r.url}/in`, events: ['link.created'], class: 'report' });
      assert.equal(ep.status, 201);
    }
  });

  after(async () => {
    for (const res of held) res.destroy();
    await lh?.close();
    await stuck?.close();
    await healthy?.close();
  });

  it('gives the stuck endpoint at most a quarter of the slots (min 4) and keeps delivering to the healthy one', async () => {
    for (let i = 0; i < 12; i++) assert.equal((await lh.api('POST', '/api/v1/links', { url: `https://example.com/${i}` })).status, 201);
    await until('every link.created reaches the healthy endpoint', () => healthy.requests.length >= 12);
    assert.ok(mostOpen <= 4, `at most 4 deliveries held open by the stuck endpoint, saw ${mostOpen}`);
    assert.ok(held.length >= 1, 'the stuck endpoint did get deliveries');
    // Once it answers, the rest of its deliveries follow.
    for (const res of held.splice(0)) res.writeHead(200).end('ok');
    stuck.handle((_req, res) => void res.writeHead(200).end('ok'));
    await until('the stuck endpoint catches up', () => new Set(stuck.requests.map((r) => String(r.headers['webhook-id']))).size >= 12);
  });
});
