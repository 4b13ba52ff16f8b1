import type { Click } from '../../../domain/clicks/click.ts';
import type { InvalidationKey } from '../../../domain/ports.ts';
import type { Db, SqlBool } from './database.ts';

/** One schema change, applied once, in order, inside the migration transaction. */
export interface Migration {
  name: string;
  up(tx: Db): Promise<void>;
}

/** The unique indexes whose violations become AppErrors instead of driver errors. */
export type UniqueIndex = 'links_domain_slug' | 'domains_hostname';

/**
 * What differs between SQLite and PostgreSQL, as a narrow interface the
 * shared repositories depend on (like kysely's Driver/Adapter split).
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  bool(value: boolean): SqlBool;
  /** True when err is the driver's unique-constraint error for this index. */
  isUniqueViolation(err: unknown, index: UniqueIndex): boolean;
  /**
   * Runs first in the migration transaction: serialises migrate() across
   * processes (PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE already
   * does) and creates what the migrations table needs (the PostgreSQL schema).
   */
  beginMigrations(tx: Db): Promise<void>;
  readonly migrations: readonly Migration[];
  /**
   * The redirect hot path's click writer: all clicks or none, multi-row
   * statements under the driver's parameter limit, bypassing kysely's
   * per-statement compile. `tx` is set inside storage.transaction().
   */
  insertClicks(clicks: readonly Click[], tx: Db | undefined): Promise<void>;
  /** Tells other processes (PostgreSQL NOTIFY); local listeners are called by the caller. */
  publish?(key: InvalidationKey): Promise<void>;
  /** Starts delivering other processes' invalidations to `deliver`. Called once, on the first listener. */
  subscribe?(deliver: (key: InvalidationKey) => void): void;
  /** Releases dialect resources (listener connection). kysely's destroy() closes the pool/file. */
  close?(): Promise<void>;
}
