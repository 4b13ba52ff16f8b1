import { sql } from 'kysely';
import type { Db } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';

/**
 * Applies the dialect's pending migrations in ONE transaction, after the
 * dialect's cross-process lock: a second process starting at the same moment
 * waits, then finds everything applied and does nothing. A failing migration
 * rolls back whole, so no schema is ever half-migrated.
 */
export async function runMigrations(db: Db, dialect: SqlDialect): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await dialect.beginMigrations(tx);
    await sql`create table if not exists migrations (name varchar(200) primary key, applied_at bigint not null)`.execute(tx);
    const applied = new Set((await tx.selectFrom('migrations').select('name').execute()).map((r) => r.name));
    for (const m of dialect.migrations) {
      if (applied.has(m.name)) continue;
      await m.up(tx);
      await tx.insertInto('migrations').values({ name: m.name, applied_at: Date.now() }).execute();
    }
  });
}
