import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { createWarehouseDestination, type WarehouseDestination } from '../../src/adapters/destinations/warehouse/create-warehouse-destination.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';
import { LINK_EVENT_SAMPLES } from '../../src/domain/events/sample-link-events.ts';
import { makeCtx, makeEndpoint } from './destination-fixtures.ts';

// The warehouse destination against a real PostgreSQL (a fresh schema per
// test) and a real temp directory.

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const clicked = LINK_EVENT_SAMPLES['link.clicked'] as EventEnvelope;

/** N distinct click events in the same hour as the sample. */
function clicks(n: number, prefix = 'a'): EventEnvelope[] {
  return Array.from({ length: n }, (_, i) => ({ ...clicked, id: `evt_${prefix}${String(i).padStart(25, '0')}` }));
}

describe('warehouse destination: postgres', () => {
  let admin: pg.Client;
  let schema = '';
  let wh: WarehouseDestination;

  before(async () => {
    admin = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
    } catch (err) {
      throw new Error(`PostgreSQL is unreachable at ${DATABASE_URL} (${(err as Error).message}); the warehouse tests need it.`);
    }
  });
  after(async () => {
    await admin.end();
  });
  beforeEach(async () => {
    schema = `wh_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    wh = createWarehouseDestination({ databaseUrl: DATABASE_URL, rootDir: undefined });
  });
  afterEach(async () => {
    await wh.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  });

  it('creates the table and writes concurrent sends as one batched statement', async () => {
    const endpoint = makeEndpoint('warehouse', { mode: 'postgres', table: `${schema}.link_events` });
    const events = clicks(20);
    const results = await Promise.all(events.map((e) => wh.send(makeCtx(e, endpoint))));
    for (const r of results) {
      assert.equal(r.ok, true, r.error ?? '');
      assert.deepEqual(JSON.parse(r.response?.body ?? ''), { inserted: true, batch_rows: 20 });
    }
    const rows = await admin.query(`SELECT event_id, type, workspace_id, occurred_at, link_id, payload FROM ${schema}.link_events ORDER BY event_id`);
    assert.equal(rows.rowCount, 20);
    const first = rows.rows[0];
    assert.equal(first.event_id, events[0]?.id);
    assert.equal(first.type, 'link.clicked');
    assert.equal(first.workspace_id, clicked.workspace_id);
    assert.equal((first.occurred_at as Date).toISOString(), clicked.timestamp);
    assert.equal(first.link_id, clicked.data.link?.id);
    assert.deepEqual(first.payload, JSON.parse(JSON.stringify(events[0])));
  });

  it('never writes an event twice: retries, and duplicates inside one batch', async () => {
    const endpoint = makeEndpoint('warehouse', { mode: 'postgres', table: `${schema}.link_events` });
    const [e] = clicks(1, 'r');
    assert.ok(e);
    const firstTry = await wh.send(makeCtx(e, endpoint));
    assert.deepEqual(JSON.parse(firstTry.response?.body ?? ''), { inserted: true, batch_rows: 1 });
    const retry = await wh.send(makeCtx(e, endpoint, undefined, 2));
    assert.equal(retry.ok, true);
    assert.deepEqual(JSON.parse(retry.response?.body ?? ''), { inserted: false, batch_rows: 1 });

    const [f] = clicks(1, 's');
    assert.ok(f);
    const both = await Promise.all([wh.send(makeCtx(f, endpoint)), wh.send(makeCtx(f, endpoint))]);
    assert.deepEqual(both.map((r) => r.ok), [true, true]);
    assert.deepEqual(both.map((r) => JSON.parse(r.response?.body ?? '').inserted as boolean).sort(), [false, true]);
    const count = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.link_events`);
    assert.equal(count.rows[0].n, 2);
  });

  it('refuses, permanently, a table of another shape', async () => {
    await admin.query(`CREATE TABLE ${schema}.not_ours (id int)`);
    const r = await wh.send(makeCtx(clicked, makeEndpoint('warehouse', { mode: 'postgres', table: `${schema}.not_ours` })));
    assert.equal(r.ok, false);
    assert.equal(r.errorClass, 'config');
    assert.equal(r.permanent, true);
  });

  it('validates settings and keeps the database URL operator-only', () => {
    assert.deepEqual(wh.validate({ url: null, settings: { mode: 'postgres', table: 'analytics.link_events' } }), []);
    const fields = (settings: Record<string, unknown>): string[] => wh.validate({ url: null, settings }).map((p) => p.field);
    assert.deepEqual(fields({ mode: 'postgres', table: 'events; drop table x' }), ['settings.table']);
    assert.deepEqual(fields({ mode: 'postgres', table: 'pg_catalog.x' }), ['settings.table']);
    assert.deepEqual(fields({ mode: 'postgres', table: 'ok', database_url: 'postgres://10.0.0.5/db' }), ['settings.database_url']);
    assert.deepEqual(fields({ table: 'ok' }), ['settings.mode']);
    const off = createWarehouseDestination({ databaseUrl: undefined, rootDir: undefined });
    assert.deepEqual(off.validate({ url: null, settings: { mode: 'postgres', table: 'ok' } }).map((p) => p.field), ['settings.mode']);
  });
});

describe('warehouse destination: ndjson', () => {
  let root = '';
  let outside = '';
  let wh: WarehouseDestination;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'linkhook-wh-'));
    outside = mkdtempSync(join(tmpdir(), 'linkhook-wh-outside-'));
    wh = createWarehouseDestination({ databaseUrl: undefined, rootDir: root });
  });
  afterEach(async () => {
    await wh.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const fileOf = (e: EventEnvelope, dir = 'feeds'): string =>
    join(root, dir, e.workspace_id, e.type, `dt=${e.timestamp.slice(0, 10)}`, `hour=${e.timestamp.slice(11, 13)}`, 'events.ndjson');
  const lines = (file: string): Record<string, unknown>[] =>
    readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('appends one line per event to a deterministic hourly file, once', async () => {
    const endpoint = makeEndpoint('warehouse', { mode: 'ndjson', directory: 'feeds' });
    const events = clicks(10);
    const results = await Promise.all(events.map((e) => wh.send(makeCtx(e, endpoint))));
    assert.ok(results.every((r) => r.ok));
    const file = fileOf(clicked);
    assert.equal(JSON.parse(results[0]?.response?.body ?? '').file, `feeds/${clicked.workspace_id}/link.clicked/dt=2026-03-14/hour=09/events.ndjson`);

    // A retried and a replayed delivery of events already written add nothing.
    const again = await Promise.all([wh.send(makeCtx(events[3] as EventEnvelope, endpoint, undefined, 2)), wh.send(makeCtx(events[3] as EventEnvelope, endpoint, undefined, 3))]);
    assert.deepEqual(again.map((r) => JSON.parse(r.response?.body ?? '').appended as boolean), [false, false]);
    const rows = lines(file);
    assert.deepEqual(rows.map((r) => r.event_id), events.map((e) => e.id));
    assert.ok(readFileSync(file, 'utf8').endsWith('\n'));

    // Stable key order: fixed columns, then the envelope with sorted keys.
    const raw = readFileSync(file, 'utf8').split('\n')[0] ?? '';
    assert.match(raw, /^\{"event_id":"evt_a0+","type":"link\.clicked","workspace_id":"ws_[0-9a-z]+","occurred_at":"2026-03-14T09:[0-9:.]+Z","link_id":"lnk_[0-9a-z]+","payload":\{"data":\{"click":/);
    assert.deepEqual(rows[0]?.payload, JSON.parse(JSON.stringify(events[0])));

    // Another event type and hour go to their own partition.
    const alert = OTHER_EVENT_SAMPLES['alert.triggered'] as EventEnvelope;
    assert.equal((await wh.send(makeCtx(alert, endpoint))).ok, true);
    assert.equal(lines(fileOf(alert)).length, 1);
  });

  it('survives a restart: re-reads written ids and cuts a torn last line', async () => {
    const endpoint = makeEndpoint('warehouse', { mode: 'ndjson', directory: 'feeds' });
    const [a, b] = clicks(2, 't');
    assert.ok(a && b);
    assert.equal((await wh.send(makeCtx(a, endpoint))).ok, true);
    const file = fileOf(a);
    // What a crash in the middle of an append leaves behind.
    writeFileSync(file, readFileSync(file, 'utf8') + '{"event_id":"evt_torn","ty', 'utf8');

    const restarted = createWarehouseDestination({ databaseUrl: undefined, rootDir: root });
    const retryA = await restarted.send(makeCtx(a, endpoint, undefined, 2));
    assert.equal(JSON.parse(retryA.response?.body ?? '').appended, false);
    assert.equal((await restarted.send(makeCtx(b, endpoint))).ok, true);
    assert.deepEqual(lines(file).map((r) => r.event_id), [a.id, b.id]);
  });

  it('stays under the root: refuses paths and symlinks that lead out', async () => {
    const fields = (settings: Record<string, unknown>): string[] => wh.validate({ url: null, settings }).map((p) => p.field);
    assert.deepEqual(fields({ mode: 'ndjson', directory: 'team-a/feeds' }), []);
    assert.deepEqual(fields({ mode: 'ndjson', directory: '../etc' }), ['settings.directory']);
    assert.deepEqual(fields({ mode: 'ndjson', directory: '/tmp/x' }), ['settings.directory']);
    assert.deepEqual(fields({ mode: 'ndjson', directory: 'a/../../b' }), ['settings.directory']);

    mkdirSync(join(root, 'feeds'));
    symlinkSync(outside, join(root, 'feeds', 'escape'));
    const r = await wh.send(makeCtx(clicked, makeEndpoint('warehouse', { mode: 'ndjson', directory: 'feeds/escape' })));
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /outside LINKHOOK_WAREHOUSE_DIR/);
    assert.deepEqual(readdirSync(outside), [], "nothing, not even a directory, was created outside the root");
  });
});
