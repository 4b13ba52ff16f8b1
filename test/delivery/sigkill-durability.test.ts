import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHttpDestination } from '../../src/adapters/destinations/http/create-http-destination.ts';
import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import { createEndpoint } from '../../src/domain/delivery/create-endpoint.ts';
import { emitEvents } from '../../src/domain/events/emit-event.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { newEvent } from '../../src/domain/events/new-event.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { startReceiver } from '../helpers/http-receiver.ts';
import type { StorageKind, TestDatabase } from '../helpers/test-storage.ts';
import { createTestDatabase } from '../helpers/test-storage.ts';
import { addWorkspace } from '../storage/fixtures.ts';

// A delivery worker SIGKILLed mid-stream loses nothing: a second worker picks
// up the dead one's leased deliveries once their lease expires, every event
// reaches the receiver, and a delivery that arrives twice arrives with the
// same webhook-id, so the receiver can drop the duplicate.

const CHILD = fileURLToPath(new URL('../helpers/delivery-worker-process.ts', import.meta.url));
const EVENTS = 300;
/** Real-time lease of the child workers: short, so the dead worker's deliveries come back soon. */
const LEASE_MS = 1000;

function startWorker(kind: StorageKind, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, name, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Waits for a condition; the deadline only stops a broken run from hanging, it is not what the test measures. */
async function until(what: string, ok: () => boolean, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  void describe(`SIGKILL of a delivery worker (${kind})`, () => {
    let database: TestDatabase;
    let storage: Storage;
    let rx: HttpReceiver;
    before(async () => {
      database = await createTestDatabase(kind);
      storage = await database.open();
      // 10 ms per answer keeps deliveries in flight when the kill lands.
      rx = await startReceiver((_req, res) => void setTimeout(() => res.writeHead(200).end('ok'), 10));
    });
    after(async () => {
      await rx.close();
      await database.cleanup();
    });

    void it('loses no delivery; duplicates carry the same webhook-id', async () => {
      const ws = await addWorkspace(storage);
      const guard = createOutboundGuard(['127.0.0.0/8']);
      const http = createHttpClient({ guard, connectTimeoutMs: 1000, totalTimeoutMs: 1000, maxBodyBytes: 1024 });
      const deps = { storage, clock: systemClock, destinations: new Map([['http', createHttpDestination(http)] as const]), checkOutboundUrl: (u: string) => guard.check(u) };
      await createEndpoint(deps, ws.id, { kind: 'http', url: `${rx.url}/in`, events: ['link.created'] });
      const sample = EVENT_CATALOGUE['link.created'].sample;
      const events: EventEnvelope[] = Array.from({ length: EVENTS }, () => newEvent('link.created', ws.id, sample.data, new Date()));
      await storage.transaction((tx) => emitEvents(tx, events));

      const first = await startWorker(kind, database.name);
      await until('the first worker delivers some', () => rx.requests.length >= EVENTS / 5);
      first.kill('SIGKILL');
      await exited(first);
      const atKill = rx.requests.length;
      assert.ok(atKill < EVENTS, 'killed mid-stream');

      const second = await startWorker(kind, database.name);
      const ids = (): Set<string> => new Set(rx.requests.map((r) => String(r.headers['webhook-id'])));
      await until('every event arrives', () => ids().size >= EVENTS);
      // The dead worker's last requests may have reached the receiver without
      // being recorded: those deliveries come back when its lease expires, and
      // the second worker sends them again under the same webhook-id.
      const end = Date.now() + 60_000;
      while ((await storage.deliveries.countByStatus()).succeeded !== EVENTS && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      second.kill('SIGTERM');
      assert.equal(await exited(second), 0, 'graceful stop');

      const expected = new Set(events.map((e) => e.id));
      assert.deepEqual(ids(), expected, 'every event arrived');
      for (const r of rx.requests) assert.equal(JSON.parse(r.body).id, r.headers['webhook-id'], 'a duplicate is the same event under the same webhook-id');
      const counts = await storage.deliveries.countByStatus();
      assert.deepEqual(counts, { succeeded: EVENTS });
    });
  });
}
