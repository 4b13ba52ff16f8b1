import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { startReceiver } from '../helpers/http-receiver.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// The monitors as `linkhook serve` wires them: a utm_policy rule created
// through the API is applied when a link is created through the API, and
// the in-process lifecycle sweeper sends link.expiring on its own.

describe('link monitors, wired', () => {
  let t: TestLinkhook;
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startReceiver();
    t = await startLinkhook({ env: { LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8', LINKHOOK_LIFECYCLE_SWEEP_MS: '1000' } });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  async function events(type: string): Promise<EventEnvelope[]> {
    const ws = await t.lh.storage.workspaces.getBySlug('default');
    return (await t.lh.storage.events.list(ws?.id ?? '', { type }, { limit: 100 })).items;
  }

  it('a utm_policy rule created through the API checks links created through the API', async () => {
    const ep = await t.api('POST', '/api/v1/endpoints', { kind: 'http', url: `${receiver.url}/hook`, events: ['alert.triggered'], class: 'alert' });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const rule = await t.api('POST', '/api/v1/rules', {
      name: 'UTMs',
      trigger: { type: 'utm_policy', required: ['source', 'medium'], case: 'lower' },
      endpoint_ids: [(ep.body as { id: string }).id],
      owner: { name: 'Marketing ops', contact: 'mops@example.com' },
      action: 'Fix the UTMs',
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const link = await t.api('POST', '/api/v1/links', { url: 'https://shop.example/x', utm: { source: 'Mail' } });
    assert.equal(link.status, 201);
    const found = (await events('link.utm_incomplete')).filter((e) => e.data.link?.id === (link.body as { id: string }).id);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]?.data.missing, ['medium']);
  });

  it('the in-process lifecycle sweeper sends link.expiring', async () => {
    const expiresAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const link = await t.api('POST', '/api/v1/links', { url: 'https://shop.example/soon', expires_at: expiresAt });
    const id = (link.body as { id: string }).id;
    // Bounded wait for the next pass (every second here), not a timing assertion.
    let seen: EventEnvelope[] = [];
    for (let i = 0; i < 100 && seen.length === 0; i += 1) {
      seen = (await events('link.expiring')).filter((e) => e.data.link?.id === id);
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(seen.length, 1);
  });
});
