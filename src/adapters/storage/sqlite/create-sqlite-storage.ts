import { Kysely } from 'kysely';
import type { Storage } from '../../../domain/ports.ts';
import { createSqlStorage } from '../sql/create-sql-storage.ts';
import type { Database } from '../sql/database.ts';
import type { SqliteSynchronous } from './sqlite-dialect.ts';
import { ImmediateSqliteDialect, openSqliteFile, sqliteDialect, withStatementCache } from './sqlite-dialect.ts';
import { createSqliteClickWriter } from './sqlite-insert-clicks.ts';

export interface SqliteStorageOptions {
  /** Path of the database file; created if missing. */
  file: string;
  /** NORMAL: a power loss may drop the last commits (WAL stays consistent); FULL: fsync every commit. */
  synchronous: SqliteSynchronous;
}

/**
 * The default storage: one SQLite file in WAL mode. One connection per
 * process (SQLite allows one writer at a time anyway); kysely serialises our
 * queries on it, and busy_timeout makes other processes on the same file wait
 * their turn. Invalidation is in-process only: another process on the file
 * (the CLI) cannot reach this one's cache, whose TTL bounds the staleness.
 */
export async function createSqliteStorage(opts: SqliteStorageOptions): Promise<Storage> {
  const raw = openSqliteFile(opts.file, opts.synchronous);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }) });
  const dialect = sqliteDialect();
  return createSqlStorage(db, { ...dialect, insertClicks: createSqliteClickWriter(raw, db, dialect) });
}
