import type { PageRequest } from '../../../domain/ports.ts';
import { validationError } from '../../../domain/shared/errors.ts';
import type { Db } from './database.ts';
import type { SqlDialect } from './sql-dialect.ts';

/** What every repository gets: a connection (or open transaction) and the dialect. */
export interface RepoContext {
  db: Db;
  dialect: SqlDialect;
  /** True when db is a transaction from storage.transaction(). */
  inTx: boolean;
}

/**
 * Runs a multi-statement write atomically: in the caller's transaction when
 * there is one (kysely cannot nest them), else in a transaction of its own.
 */
export async function atomic<T>(ctx: Pick<RepoContext, 'db' | 'inTx'>, fn: (db: Db) => Promise<T>): Promise<T> {
  return ctx.inTx ? fn(ctx.db) : ctx.db.transaction().execute(fn);
}

// Cursors are the last id of a page, base64url-encoded so clients treat them
// as opaque and we may change what is inside without breaking them.
const ID_SHAPE = /^[a-z]{2,4}_[0-9a-z]{26}$/;

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ID_SHAPE.test(id)) throw validationError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  return id;
}

/** Rows fetched for a page: one more than asked, to know whether a next page exists without a count. */
export function fetchSize(page: PageRequest): number {
  return Math.max(1, Math.floor(page.limit)) + 1;
}

export function toPage<R extends { id: string }, T>(rows: R[], page: PageRequest, map: (row: R) => T): { items: T[]; nextCursor: string | null } {
  const limit = fetchSize(page) - 1;
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: hasMore && last ? encodeCursor(last.id) : null };
}
