import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresStorage } from '../../src/adapters/storage/postgres/create-postgres-storage.ts';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import type { Storage } from '../../src/domain/ports.ts';

// Real databases for tests, never mocks: a temp SQLite file, or a fresh
// schema in the PostgreSQL every machine of this project runs.

export type StorageKind = 'sqlite' | 'postgres';

export interface TestStorage {
  storage: Storage;
  cleanup(): Promise<void>;
}

/** One place (or more) in a database: open as many storages on it as you like. */
export interface TestDatabase {
  /** The SQLite file, or the PostgreSQL schema. */
  readonly name: string;
  /** A new, migrated storage on this database; closed by cleanup(). */
  open(): Promise<Storage>;
  cleanup(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function assertPostgresReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    // Loud on purpose: a storage suite that silently skips its PostgreSQL half
    // would let a PostgreSQL-only bug through.
    throw new Error(
      `PostgreSQL is unreachable at ${TEST_DATABASE_URL} (${(err as Error).message}). ` +
        'The PostgreSQL tests need it: start PostgreSQL or set TEST_DATABASE_URL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database: a temp SQLite file, or a random PostgreSQL schema `t_<random>` dropped on cleanup. */
export async function createTestDatabase(kind: StorageKind): Promise<TestDatabase> {
  const opened: Storage[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(opened.map((s) => s.close()));
  };
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'linkhook-storage-'));
    const file = join(dir, 'test.db');
    return {
      name: file,
      async open() {
        const storage = await createSqliteStorage({ file, synchronous: 'NORMAL' });
        opened.push(storage);
        await storage.migrate();
        return storage;
      },
      async cleanup() {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  await assertPostgresReachable();
  const schema = `t_${randomBytes(8).toString('hex')}`;
  return {
    name: schema,
    async open() {
      const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
      opened.push(storage);
      await storage.migrate();
      return storage;
    },
    async cleanup() {
      await closeAll();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated storage over a fresh database of this kind. */
export async function openTestStorage(kind: StorageKind): Promise<TestStorage> {
  const database = await createTestDatabase(kind);
  try {
    return { storage: await database.open(), cleanup: () => database.cleanup() };
  } catch (err) {
    await database.cleanup();
    throw err;
  }
}
