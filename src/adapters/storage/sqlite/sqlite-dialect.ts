import Database from 'better-sqlite3';
import type { DatabaseConnection, SqliteDatabase, SqliteDialectConfig, SqliteStatement } from 'kysely';
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { Driver } from 'kysely';
import type { SqlDialect, UniqueIndex } from '../sql/sql-dialect.ts';
import { sqliteMigrations } from './sqlite-migrations.ts';

// SQLite specifics: pragmas, the driver tweaks, and how its errors look.

export type SqliteSynchronous = 'NORMAL' | 'FULL';

/**
 * Several processes may open one file (the server and `linkhook links import`):
 * a writer waits up to this long for another's write lock instead of failing
 * with SQLITE_BUSY. 5 s covers the longest write we make, a 1,000-link bulk
 * import in one transaction (250-520 ms measured here), about ten times.
 */
const BUSY_TIMEOUT_MS = 5000;

export function openSqliteFile(file: string, synchronous: SqliteSynchronous): Database.Database {
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new TypeError(`synchronous must be NORMAL or FULL, not ${String(synchronous)}`);
  const db = new Database(file);
  // busy_timeout first: switching to WAL needs a lock another process may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * kysely's SQLite connection prepares every statement anew. Measured with
 * better-sqlite3 12 on SQLite 3.53: the slug lookup takes 33 µs when prepared
 * each time and 6.5 µs from a cached statement, so we cache. The repositories
 * compile a few dozen distinct SQL strings (tag inserts vary with the tag
 * count), so 256 entries keeps every one of them hot.
 */
const STATEMENT_CACHE_SIZE = 256;

export function withStatementCache(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-insert: Map order is our LRU order
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/**
 * kysely begins SQLite transactions with a plain (deferred) BEGIN. In WAL mode
 * a deferred transaction that reads and then writes fails at once with
 * SQLITE_BUSY_SNAPSHOT if another process committed in between - the busy
 * timeout does not help there. BEGIN IMMEDIATE takes the write lock up front,
 * where busy_timeout does apply. Every storage.transaction() writes, so this
 * costs nothing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

const UNIQUE_COLUMNS: Record<UniqueIndex, string> = {
  links_domain_slug: 'links.domain_key, links.slug',
  domains_hostname: 'domains.hostname',
};

/** Everything but the click writer, which needs the open connection (create-sqlite-storage.ts). */
export function sqliteDialect(): Omit<SqlDialect, 'insertClicks'> {
  return {
    name: 'sqlite',
    bool: (value) => (value ? 1 : 0),
    isUniqueViolation(err, index) {
      // better-sqlite3: code SQLITE_CONSTRAINT_UNIQUE, message "UNIQUE constraint failed: links.domain_key, links.slug".
      if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') return false;
      return err.message.endsWith(UNIQUE_COLUMNS[index]);
    },
    // The driver's BEGIN IMMEDIATE already holds the file's write lock: no other process can migrate meanwhile.
    async beginMigrations() {},
    migrations: sqliteMigrations,
  };
}
