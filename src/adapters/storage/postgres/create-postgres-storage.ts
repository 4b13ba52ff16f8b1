import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Storage } from '../../../domain/ports.ts';
import { createSqlStorage } from '../sql/create-sql-storage.ts';
import type { Database } from '../sql/database.ts';
import { checkSchemaName, connectionConfig, postgresDialect } from './postgres-dialect.ts';
import { createPostgresClickWriter } from './postgres-insert-clicks.ts';
import { channelName, createPostgresNotifier } from './postgres-notifier.ts';

export interface PostgresStorageOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** Every table lives in this schema (created by migrate() if missing). Default: the server's search_path. */
  schema?: string;
}

/**
 * PostgreSQL storage for several stateless processes sharing one database:
 * a pool for queries, one extra connection per process that LISTENs for
 * other processes' cache invalidations.
 */
export async function createPostgresStorage(opts: PostgresStorageOptions): Promise<Storage> {
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  // 10 connections (pg's default): the redirect path mostly hits its cache,
  // click batches are one statement each, and 100 (PostgreSQL's default
  // max_connections) leaves room for ~9 processes.
  const pool = new pg.Pool({ ...connectionConfig(opts.url, schema, 'linkhook'), max: 10 });
  // An idle connection dropped by the server (restart, idle timeout) is
  // removed from the pool and replaced on the next query; without a listener
  // the 'error' event would crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const notifier = createPostgresNotifier(db, connectionConfig(opts.url, schema, 'linkhook-invalidation'), channelName(schema));
  const dialect = postgresDialect(schema);
  return createSqlStorage(db, {
    ...dialect,
    insertClicks: createPostgresClickWriter(db, dialect),
    publish: (key) => notifier.publish(key),
    subscribe: (deliver) => notifier.subscribe(deliver),
    close: () => notifier.close(),
  });
}
