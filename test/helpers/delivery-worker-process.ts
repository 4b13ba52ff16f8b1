// A delivery worker in its own process, for the SIGKILL durability test: the
// real dispatcher, storage and http destination, on the real clock, with a
// short lease so a killed worker's deliveries come back quickly.
// Usage: node --import tsx delivery-worker-process.ts sqlite|postgres FILE|SCHEMA LEASE_MS
import { createHttpDestination } from '../../src/adapters/destinations/http/create-http-destination.ts';
import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';
import { createPostgresStorage } from '../../src/adapters/storage/postgres/create-postgres-storage.ts';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { createDeliveryDispatcher } from '../../src/worker/delivery-dispatcher.ts';
import { TEST_DATABASE_URL } from './test-storage.ts';

const [kind, name, leaseArg] = process.argv.slice(2);
if ((kind !== 'sqlite' && kind !== 'postgres') || !name || !leaseArg) throw new Error('usage: delivery-worker-process.ts sqlite|postgres FILE|SCHEMA LEASE_MS');
const storage = kind === 'sqlite' ? await createSqliteStorage({ file: name, synchronous: 'NORMAL' }) : await createPostgresStorage({ url: TEST_DATABASE_URL, schema: name });
const http = createHttpClient({ guard: createOutboundGuard(['127.0.0.0/8']), connectTimeoutMs: 5000, totalTimeoutMs: 5000, maxBodyBytes: 65536 });
const dispatcher = createDeliveryDispatcher({
  engine: { storage, clock: systemClock, destinations: new Map([['http', createHttpDestination(http)]]), disableAfterMs: 86_400_000, leaseMs: Number(leaseArg) },
  concurrency: 8,
  pollMs: 20,
  probeEveryMs: 60_000,
});
dispatcher.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void dispatcher.stop().then(async () => {
    http.close();
    await storage.close();
    process.exit(0);
  });
});
