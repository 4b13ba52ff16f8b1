import pg from 'pg';
import { sql } from 'kysely';
import type { SqlDialect, UniqueIndex } from '../sql/sql-dialect.ts';
import { postgresMigrations } from './postgres-migrations.ts';

// PostgreSQL specifics: connection settings, type parsing, how its errors look.

/**
 * Schema names go into search_path and DDL unquoted-safe: lower-case, so the
 * `-c search_path=` connection option (which folds case) and the quoted DDL
 * name the same schema.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
  return schema;
}

/**
 * Connection settings for the pool and the listener client. search_path is a
 * startup parameter, so every connection the pool ever opens (including ones
 * replacing dropped connections) lands in the schema without a per-checkout SET.
 * int8 (oid 20: BIGINT times, count(*)) parses to a JS number instead of pg's
 * default string; scoped to our connections, not the global pg.types.
 */
export function connectionConfig(url: string, schema: string | undefined, applicationName: string): pg.ClientConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(20, Number);
  const config: pg.ClientConfig = { connectionString: url, types, application_name: applicationName, keepAlive: true };
  if (schema !== undefined) config.options = `-c search_path=${schema}`;
  return config;
}

/** Everything but the pieces that need the pool (create-postgres-storage.ts). */
export function postgresDialect(schema: string | undefined): Omit<SqlDialect, 'insertClicks'> {
  return {
    name: 'postgres',
    bool: (value) => value,
    isUniqueViolation(err, index: UniqueIndex) {
      // 23505 = unique_violation; `constraint` names the unique index.
      const e = err as { code?: unknown; constraint?: unknown } | null;
      return typeof e === 'object' && e !== null && e.code === '23505' && e.constraint === index;
    },
    async beginMigrations(tx) {
      // Transaction-scoped: released by COMMIT/ROLLBACK even if this process
      // dies mid-migration. Keyed by schema so test schemas do not queue up.
      await sql`select pg_advisory_xact_lock(hashtext(${`linkhook_migrate:${schema ?? ''}`}))`.execute(tx);
      if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(tx);
    },
    migrations: postgresMigrations,
  };
}
