import { Kysely } from 'kysely';
import type { Storage } from '../../../domain/ports.ts';
import { createSqlStorage } from '../sql/create-sql-storage.ts';
import type { Database } from '../sql/database.ts';
import type { SqliteSynchronous } from './sqlite-dialect.ts';
import { ImmediateSqliteDialect, openSqliteFile, sqliteDialect, withStatementCache } from './sqlite-dialect.ts';
import type { Checkpointer } from './sqlite-checkpointer.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { createSqliteClickWriter } from './sqlite-insert-clicks.ts';

export interface SqliteStorageOptions {
  /** Path of the database file; created if missing. */
  file: string;
  /** NORMAL: a power loss may drop the last commits (WAL stays consistent); FULL: fsync every commit. */
  synchronous: SqliteSynchronous;
  /**
   * Checkpoint the WAL from a background thread instead of inside commits
   * (sqlite-checkpointer.ts). Processes opened from config (server, worker,
   * CLI) turn it on; tests that open many storages keep SQLite's automatic
   * checkpoints unless they test this.
   */
  backgroundCheckpoint?: boolean;
  /** How often the background thread checkpoints; 1 s by default. */
  checkpointEveryMs?: number;
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
  let checkpointer: Checkpointer | undefined;
  if (opts.backgroundCheckpoint) {
    raw.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(opts.file, opts.checkpointEveryMs ?? 1000, (message) => process.stderr.write(`sqlite checkpoint: ${message}\n`));
  }
  return createSqlStorage(db, {
    ...dialect,
    insertClicks: createSqliteClickWriter(raw, db, dialect),
    close: async () => {
      await checkpointer?.stop();
    },
  });
}
