import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { createLink } from '../../src/domain/links/create-link.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';

// A real `linkhook serve` in its own process, over a SQLite file the caller
// can open before (to seed links) and after (to count clicks). Used by the
// SIGKILL durability test and by bench/redirect.ts.

const ROOT = new URL('../../', import.meta.url).pathname;

export function sqliteFileOf(dataDir: string): string {
  return join(dataDir, 'linkhook.db');
}

export async function openSqlite(dataDir: string): Promise<Storage> {
  const storage = await createSqliteStorage({ file: sqliteFileOf(dataDir), synchronous: 'NORMAL' });
  await storage.migrate();
  return storage;
}

/** Creates links in the data dir's database (the server is not running yet). */
export async function seedLinks(dataDir: string, bodies: Record<string, unknown>[]): Promise<Link[]> {
  const storage = await openSqlite(dataDir);
  try {
    const ws = await ensureWorkspace(storage, systemClock);
    const links: Link[] = [];
    for (const body of bodies) links.push(await createLink({ storage, clock: systemClock, defaultHost: 'localhost', baseUrl: 'http://localhost', customDomainScheme: 'https' }, ws.id, body));
    return links;
  } finally {
    await storage.close();
  }
}

export interface SpawnedLinkhook {
  /** http://127.0.0.1:PORT */
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node bin/linkhook.js serve` on a free loopback port, silent, SQLite in dataDir. */
export async function spawnLinkhook(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<SpawnedLinkhook> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LINKHOOK_DATA_DIR: dataDir, LINKHOOK_LOG_LEVEL: 'silent', ...env };
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin/linkhook.js'), 'serve'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m?.[1]) {
        child.stdout?.off('data', onData);
        resolve(m[1].replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then(({ code, signal }) => reject(new Error(`linkhook exited before listening (code ${code}, signal ${signal}):\n${output}`)));
  });
  // Keep draining the pipes so a chatty child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, child, exited };
}
