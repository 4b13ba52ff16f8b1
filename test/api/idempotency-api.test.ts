import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Idempotency-Key on API writes: the same key and request replay the stored
// answer without a second change or event; another request under the key is
// 409; concurrent duplicates make exactly one change; keys are per workspace
// and expire after 24 h.

async function send(t: TestLinkhook, method: string, path: string, key: string | null, body?: unknown, apiKey = t.key) {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (key !== null) headers['idempotency-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(t.url + path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: text === '' ? null : JSON.parse(text), replayed: res.headers.get('idempotent-replayed') };
}

async function eventCount(t: TestLinkhook, type: string, linkId?: string): Promise<number> {
  const ws = await t.lh.storage.workspaces.getBySlug('default');
  const page = await t.lh.storage.events.list(ws!.id, { type }, { limit: 100 });
  return page.items.filter((e) => linkId === undefined || e.data.link?.id === linkId).length;
}

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`Idempotency-Key on ${storage}`, () => {
    let t: TestLinkhook;
    const clock = new ManualClock(new Date());
    before(async () => {
      t = await startLinkhook({ storage, clock });
    });
    after(async () => {
      await t.close();
    });

    it('replays the stored answer for the same request: same status and body, no second change or event', async () => {
      const first = await send(t, 'POST', '/api/v1/links', 'create-1', { url: 'https://example.com/a', slug: 'idem-a' });
      assert.equal(first.status, 201);
      assert.equal(first.replayed, null);
      const again = await send(t, 'POST', '/api/v1/links', 'create-1', { url: 'https://example.com/a', slug: 'idem-a' });
      assert.equal(again.status, 201);
      assert.equal(again.replayed, 'true');
      assert.equal(again.text, first.text);
      assert.equal(await eventCount(t, 'link.created', first.body.id), 1);
      // Without the key the same request is a new one (and the slug is taken).
      assert.equal((await send(t, 'POST', '/api/v1/links', null, { url: 'https://example.com/a', slug: 'idem-a' })).status, 409);
    });

    it('answers 409 idempotency_conflict for another request under the same key', async () => {
      await send(t, 'POST', '/api/v1/links', 'create-2', { url: 'https://example.com/b', slug: 'idem-b' });
      const other = await send(t, 'POST', '/api/v1/links', 'create-2', { url: 'https://example.com/c', slug: 'idem-c' });
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, 'idempotency_conflict');
      assert.equal(other.body.error.details.reason, 'different_request');
      assert.equal(await t.lh.storage.links.findBySlug(null, 'idem-c'), undefined);
    });

    it('covers PATCH and DELETE, and stores error answers too', async () => {
      const link = (await send(t, 'POST', '/api/v1/links', null, { url: 'https://example.com/d', slug: 'idem-d' })).body;
      const patch1 = await send(t, 'PATCH', `/api/v1/links/${link.id}`, 'patch-1', { title: 'T' });
      const patch2 = await send(t, 'PATCH', `/api/v1/links/${link.id}`, 'patch-1', { title: 'T' });
      assert.equal(patch2.replayed, 'true');
      assert.deepEqual(patch2.body, patch1.body);
      assert.equal(await eventCount(t, 'link.updated', link.id), 1);

      const del1 = await send(t, 'DELETE', `/api/v1/links/${link.id}`, 'delete-1');
      const del2 = await send(t, 'DELETE', `/api/v1/links/${link.id}`, 'delete-1');
      assert.equal(del1.status, 204);
      assert.equal(del2.status, 204, 'the replay is the first answer, not a 404');
      assert.equal(del2.replayed, 'true');
      assert.equal(await eventCount(t, 'link.deleted', link.id), 1);

      const bad1 = await send(t, 'POST', '/api/v1/links', 'bad-1', { url: 'javascript:alert(1)' });
      const bad2 = await send(t, 'POST', '/api/v1/links', 'bad-1', { url: 'javascript:alert(1)' });
      assert.equal(bad1.status, 422);
      assert.equal(bad2.status, 422);
      assert.equal(bad2.replayed, 'true');
    });

    it('makes exactly one change from concurrent duplicates; the others replay or get 409 in_progress', async () => {
      const body = { url: 'https://example.com/race', slug: 'idem-race' };
      const answers = await Promise.all(Array.from({ length: 8 }, () => send(t, 'POST', '/api/v1/links', 'race-1', body)));
      const fresh = answers.filter((a) => a.status === 201 && a.replayed === null);
      assert.equal(fresh.length, 1, JSON.stringify(answers.map((a) => [a.status, a.replayed])));
      for (const a of answers) {
        if (a.status === 201) assert.equal(a.body.id, fresh[0]!.body.id);
        else {
          assert.equal(a.status, 409);
          assert.equal(a.body.error.details.reason, 'in_progress');
        }
      }
      assert.equal(await eventCount(t, 'link.created', fresh[0]!.body.id), 1);
    });

    it('scopes keys per workspace and refuses malformed keys', async () => {
      const other = await t.newKey({ workspace: 'idem-other' });
      const a = await send(t, 'POST', '/api/v1/links', 'shared-key', { url: 'https://example.com/w' });
      const b = await send(t, 'POST', '/api/v1/links', 'shared-key', { url: 'https://example.com/w' }, other);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(b.replayed, null);
      assert.notEqual(a.body.id, b.body.id);

      const long = await send(t, 'POST', '/api/v1/links', 'k'.repeat(256), { url: 'https://example.com/w' });
      assert.equal(long.status, 422);
      assert.equal(long.body.error.details.fields[0].field, 'Idempotency-Key');
    });

    it('forgets keys after 24 hours', async () => {
      const first = await send(t, 'POST', '/api/v1/links', 'expiring', { url: 'https://example.com/e' });
      clock.advance(24 * 3600_000 + 1000);
      const later = await send(t, 'POST', '/api/v1/links', 'expiring', { url: 'https://example.com/e' });
      assert.equal(later.status, 201);
      assert.equal(later.replayed, null);
      assert.notEqual(later.body.id, first.body.id);
    });
  });
}
