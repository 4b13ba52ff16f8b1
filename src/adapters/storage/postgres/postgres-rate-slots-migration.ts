import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Rate-limit slots keyed by what the limit belongs to: see
// sqlite-rate-slots-migration.ts for why endpoint_slots is replaced.

export const postgresRateSlotsMigration: Migration = {
  name: '0011_rate_slots',
  async up(tx) {
    await sql.raw(`drop table endpoint_slots`).execute(tx);
    await sql.raw(`create table rate_slots (slot_key text primary key, next_at bigint not null)`).execute(tx);
  },
};
