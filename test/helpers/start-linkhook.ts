import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import type { Config } from '../../src/config/config.ts';
import type { DnsResolver } from '../../src/domain/ports.ts';
import type { Clock } from '../../src/domain/shared/clock.ts';
import { createApiKey, parseScopes } from '../../src/domain/workspaces/create-api-key.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';
import type { Linkhook } from '../../src/entrypoints/create-linkhook.ts';
import { createLinkhook } from '../../src/entrypoints/create-linkhook.ts';
import type { StorageKind } from './test-storage.ts';
import { openTestStorage } from './test-storage.ts';

export interface TestLinkhook {
  lh: Linkhook;
  /** http://127.0.0.1:PORT */
  url: string;
  config: Readonly<Config>;
  /** An admin key of the default workspace. */
  key: string;
  /** A key with the given scopes in the given workspace (created if missing). */
  newKey(opts?: { workspace?: string; scopes?: string[] }): Promise<string>;
  /** fetch() against the server with the admin key; JSON body when given. */
  api(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface StartOptions {
  storage?: StorageKind;
  /** Extra environment, e.g. LINKHOOK_TEST_IP_RANGES. */
  env?: Record<string, string>;
  clock?: Clock;
  dns?: DnsResolver;
}

/**
 * A real linkhook on a random loopback port over a real database: a temp
 * SQLite file, or a fresh PostgreSQL schema that is dropped on close.
 */
export async function startLinkhook(opts: StartOptions = {}): Promise<TestLinkhook> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linkhook-test-'));
  const testStorage = await openTestStorage(opts.storage ?? 'sqlite');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LINKHOOK_DATA_DIR: dataDir, LINKHOOK_LOG_LEVEL: 'silent', ...opts.env });
  const overrides: Parameters<typeof createLinkhook>[1] = { storage: testStorage.storage };
  if (opts.clock) overrides.clock = opts.clock;
  if (opts.dns) overrides.dns = opts.dns;
  const lh = await createLinkhook(config, overrides);
  const address = await lh.listen();
  const url = address.replace('0.0.0.0', '127.0.0.1');
  const clock = opts.clock ?? { now: () => new Date() };

  const newKey = async (o: { workspace?: string; scopes?: string[] } = {}): Promise<string> => {
    const ws = await ensureWorkspace(lh.storage, clock, o.workspace);
    const { key } = await createApiKey(lh.storage, clock, ws.id, 'test', parseScopes(o.scopes ?? ['admin']));
    return key;
  };
  const key = await newKey();

  const api: TestLinkhook['api'] = async (method, path, body, k = key) => {
    const headers: Record<string, string> = { authorization: `Bearer ${k}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  return {
    lh,
    url,
    config,
    key,
    newKey,
    api,
    async close() {
      await lh.close();
      await testStorage.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
