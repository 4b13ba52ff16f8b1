import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

// Rate-limit slots keyed by what the limit belongs to (rateLimitKey in
// src/domain/delivery/rate-limit.ts): an endpoint id, or for Slack a hash of
// the webhook URL, which several endpoints may share. endpoint_slots had a
// foreign key to endpoints and so could not hold the latter. Its rows are
// only "next free slot" times a second or so ahead: dropping them costs at
// most one early delivery per endpoint during the upgrade.

export const sqliteRateSlotsMigration: Migration = {
  name: '0011_rate_slots',
  async up(tx) {
    await sql.raw(`drop table endpoint_slots`).execute(tx);
    await sql.raw(`create table rate_slots (slot_key text primary key, next_at integer not null) strict`).execute(tx);
  },
};
