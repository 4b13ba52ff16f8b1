import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import { createLink } from '../../src/domain/links/create-link.ts';
import type { Repos, Storage } from '../../src/domain/ports.ts';
import type { TestLinkhook } from '../helpers/start-linkhook.ts';
import { startLinkhook } from '../helpers/start-linkhook.ts';

// Link changes emit their events in the same transaction (outbox): the
// right types, payloads that validate against the catalogue, the actor, and
// never a change without its event or an event without its change.

async function eventsOf(t: TestLinkhook, type: string): Promise<EventEnvelope[]> {
  const ws = await t.lh.storage.workspaces.getBySlug('default');
  const page = await t.lh.storage.events.list(ws!.id, { type }, { limit: 100 });
  return page.items;
}

function forLink(events: EventEnvelope[], linkId: string): EventEnvelope[] {
  return events.filter((e) => e.data.link?.id === linkId);
}

function assertValid(event: EventEnvelope): void {
  const entry = EVENT_CATALOGUE[event.type as keyof typeof EVENT_CATALOGUE];
  assert.ok(entry, `unknown type ${event.type}`);
  const r = entry.schema.safeParse(event.data);
  assert.ok(r.success, `${event.type}: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
}

/** The real storage, with events failing to insert: the fault a full disk or a lost connection would cause. */
function failingEvents(storage: Storage): Storage {
  const broken = (tx: Repos): Repos => ({ ...tx, events: { ...tx.events, insertMany: async () => Promise.reject(new Error('simulated event write failure')) } });
  return new Proxy(storage, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return <T>(fn: (tx: Repos) => Promise<T>) => target.transaction((tx) => fn(broken(tx)));
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

for (const storage of ['sqlite', 'postgres'] as const) {
  describe(`link events on ${storage}`, () => {
    let t: TestLinkhook;
    before(async () => {
      t = await startLinkhook({ storage });
    });
    after(async () => {
      await t.close();
    });

    it('POST /links emits link.created with the link payload and the API key as actor', async () => {
      const res = await t.api('POST', '/api/v1/links', {
        url: 'https://example.com/a',
        slug: 'ev-create',
        tags: ['promo'],
        campaign: 'spring',
        utm: { source: 'mail' },
        external_id: 'crm-1',
        metadata: { contact: 'c1' },
      });
      assert.equal(res.status, 201);
      const [event, ...more] = forLink(await eventsOf(t, 'link.created'), res.body.id);
      assert.ok(event);
      assert.equal(more.length, 0);
      assertValid(event);
      assert.match(event.id, /^evt_/);
      assert.equal(event.timestamp, res.body.created_at);
      const link = event.data.link!;
      assert.equal(link.short_url, res.body.short_url);
      assert.equal(link.destination_url, res.body.destination_url);
      assert.deepEqual(link.tags, ['promo']);
      assert.equal(link.campaign, 'spring');
      assert.equal(link.external_id, 'crm-1');
      assert.deepEqual(link.metadata, { contact: 'c1' });
      const actor = event.data.actor as { type: string; id: string; name: string };
      assert.equal(actor.type, 'api_key');
      assert.match(actor.id, /^key_/);
      assert.equal(actor.name, 'test');

      const viaApi = await t.api('GET', `/api/v1/events/${event.id}`);
      assert.equal(viaApi.status, 200);
      assert.deepEqual(viaApi.body, event);
    });

    it('PATCH emits link.updated with before/after, and link.destination_changed when the destination moves', async () => {
      const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/old', slug: 'ev-update', tags: ['a', 'b'] });
      const id = created.body.id as string;
      const retag = await t.api('PATCH', `/api/v1/links/${id}`, { tags: ['b', 'a'], title: 'New title' });
      assert.equal(retag.status, 200);
      let updates = forLink(await eventsOf(t, 'link.updated'), id);
      assert.equal(updates.length, 1);
      assertValid(updates[0]!);
      // Same tags in another order are no change; the title is.
      assert.deepEqual(updates[0]!.data.changes, { title: { before: null, after: 'New title' } });
      assert.equal(forLink(await eventsOf(t, 'link.destination_changed'), id).length, 0);

      const moved = await t.api('PATCH', `/api/v1/links/${id}`, { url: 'https://example.com/new' });
      assert.equal(moved.status, 200);
      updates = forLink(await eventsOf(t, 'link.updated'), id);
      assert.equal(updates.length, 2);
      const dest = forLink(await eventsOf(t, 'link.destination_changed'), id);
      assert.equal(dest.length, 1);
      assertValid(dest[0]!);
      assert.equal(dest[0]!.data.old_url, 'https://example.com/old');
      assert.equal(dest[0]!.data.new_url, 'https://example.com/new');
      assert.equal((dest[0]!.data.actor as { type: string }).type, 'api_key');
      assert.equal(dest[0]!.data.changed_at, moved.body.updated_at);

      // A PATCH that changes nothing emits nothing.
      await t.api('PATCH', `/api/v1/links/${id}`, { url: 'https://example.com/new' });
      assert.equal(forLink(await eventsOf(t, 'link.updated'), id).length, 2);
    });

    it('DELETE emits link.deleted with the link as it was', async () => {
      const created = await t.api('POST', '/api/v1/links', { url: 'https://example.com/gone', slug: 'ev-delete', owner: 'ana@example.com' });
      const del = await t.api('DELETE', `/api/v1/links/${created.body.id}`);
      assert.equal(del.status, 204);
      const [event] = forLink(await eventsOf(t, 'link.deleted'), created.body.id);
      assert.ok(event);
      assertValid(event);
      assert.equal(event.data.link!.owner, 'ana@example.com');
      assert.equal(event.data.link!.slug, 'ev-delete');
    });

    it('bulk create emits one link.created per created link, none for failed rows', async () => {
      const res = await t.api('POST', '/api/v1/links/bulk', {
        links: [{ url: 'https://example.com/1', slug: 'ev-bulk-1' }, { url: 'javascript:alert(1)' }, { url: 'https://example.com/2', slug: 'ev-bulk-2' }],
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.created, 2);
      const all = await eventsOf(t, 'link.created');
      for (const r of res.body.results.filter((x: { ok: boolean }) => x.ok)) {
        const events = forLink(all, r.link.id);
        assert.equal(events.length, 1, `link ${r.link.id}`);
        assertValid(events[0]!);
      }
    });

    it('a failed change leaves neither the change nor an event', async () => {
      const before = (await eventsOf(t, 'link.created')).length;
      const taken = await t.api('POST', '/api/v1/links', { url: 'https://example.com/x', slug: 'ev-create' });
      assert.equal(taken.status, 409);
      assert.equal((await eventsOf(t, 'link.created')).length, before);

      // The event write fails: the link must not exist either.
      const ws = await t.lh.storage.workspaces.getBySlug('default');
      const deps = { storage: failingEvents(t.lh.storage), clock: { now: () => new Date() }, defaultHost: t.config.defaultHost, baseUrl: t.config.baseUrl, customDomainScheme: 'https' };
      await assert.rejects(createLink(deps, ws!.id, { url: 'https://example.com/x', slug: 'ev-atomic' }), /simulated event write failure/);
      assert.equal(await t.lh.storage.links.findBySlug(null, 'ev-atomic'), undefined);
      assert.equal((await eventsOf(t, 'link.created')).length, before);
    });
  });
}
