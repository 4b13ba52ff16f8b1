import { sql } from 'kysely';
import type { Migration } from '../sql/sql-dialect.ts';

/**
 * Alert rules, backtests and baselines count clicks per link over a time
 * range (sql/click-counts.ts). clicks_link_id (link_id, id) cannot bound ts,
 * so without this index each count reads every click the link ever had; with
 * it, a one-hour window on a link with a year of history reads that hour only.
 */
export const sqliteClickCountsMigration: Migration = {
  name: '0004_click_counts',
  up: async (tx) => {
    await sql`create index clicks_link_ts on clicks(link_id, ts)`.execute(tx);
  },
};
