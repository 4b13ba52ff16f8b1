import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the event loop.
 *
 * By default SQLite checkpoints inside the commit that pushes the WAL past
 * 1,000 pages: that commit copies the WAL into the database file while the
 * event loop waits. In the redirect benchmark those commits were the slow
 * tail — 18 commits over 10 ms per run, p99 16 ms; with the checkpoint moved
 * to a background connection, 2 such commits and p99 11–14 ms.
 *
 * So the server's connection turns automatic checkpoints off, and a worker
 * thread with its own connection runs a PASSIVE checkpoint every second.
 * PASSIVE never blocks writers or readers; it copies what it can, and the WAL
 * restarts from its beginning once a checkpoint has caught up. The thread is
 * plain JavaScript evaluated from a string so it loads without the TypeScript
 * loader.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err) }); }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); parentPort.postMessage({ stopped: true }); }
});
parentPort.postMessage({ ready: true });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, everyMs = 1000, onError: (message: string) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs } });
  // A background helper: it must not keep the process alive on its own.
  worker.unref();
  let stopped: Promise<void> | undefined;
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onError(m.error);
  });
  worker.on('error', (err) => onError(String(err)));
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = (): void => {
          void worker.terminate().then(() => resolve());
        };
        worker.once('exit', () => resolve());
        worker.on('message', (m: { stopped?: boolean }) => {
          if (m.stopped) done();
        });
        worker.postMessage('stop');
        // A checkpoint stuck behind a lock must not hold shutdown.
        setTimeout(done, 2000).unref();
      });
      return stopped;
    },
  };
}
