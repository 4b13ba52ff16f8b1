import { sql } from 'kysely';
import type { SelectQueryBuilder } from 'kysely';
import type { BucketClickCount, ClickCountQuery, ClickRepo, DimensionClickCount, LinkClickCount } from '../../../domain/ports.ts';
import type { ClicksTable, Database } from './database.ts';
import type { RepoContext } from './repo-context.ts';
import { clickFromRow } from './row-mapping.ts';

// Counts over the click log for alert rules and backtests, one kysely query
// each for both dialects. Every query is `link_id IN (...) AND ts in range`,
// served by clicks_link_ts (migration 0004_click_counts): a range scan per
// link, never a table scan. The redirect hot path keeps no counters.

/**
 * Link ids per statement: SQLite binds at most 32,766 parameters and
 * PostgreSQL 65,535; 500 keeps each statement small and its plan cheap,
 * and a rule over 10,000 links costs 20 round trips.
 */
const IDS_PER_STATEMENT = 500;

type ClickQuery = SelectQueryBuilder<Database, 'clicks', object>;

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) out.push(ids.slice(i, i + IDS_PER_STATEMENT));
  return out;
}

function toIso(ms: number | string): string {
  return new Date(Number(ms)).toISOString();
}

export function createClickCounts(ctx: RepoContext): Pick<ClickRepo, 'countByLink' | 'countByBucket' | 'countByDimension' | 'listInRange'> {
  const { db, dialect } = ctx;

  /** The shared WHERE: workspace, links, [from, to), never test traffic, bots on request, QR for scans. */
  const matching = (q: ClickCountQuery, ids: string[]): ClickQuery => {
    let b = db
      .selectFrom('clicks')
      .where('workspace_id', '=', q.workspaceId)
      .where('link_id', 'in', ids)
      .where('ts', '>=', q.from.getTime())
      .where('ts', '<', q.to.getTime())
      .where('is_test', '=', dialect.bool(false));
    if (q.includeBots !== true) b = b.where('is_bot', '=', dialect.bool(false));
    if (q.metric === 'scans') b = b.where('is_qr', '=', dialect.bool(true));
    return b;
  };

  const each = async <T>(q: ClickCountQuery, run: (ids: string[]) => Promise<T[]>): Promise<T[]> => {
    if (q.linkIds.length === 0 || q.from.getTime() >= q.to.getTime()) return [];
    const out: T[] = [];
    for (const ids of chunks(q.linkIds)) out.push(...(await run(ids)));
    return out;
  };

  return {
    countByLink: (q) =>
      each(q, async (ids): Promise<LinkClickCount[]> => {
        const rows = await matching(q, ids)
          .select(['link_id', sql<number | string>`count(*)`.as('n'), sql<number | string>`min(ts)`.as('first'), sql<number | string>`max(ts)`.as('last')])
          .groupBy('link_id')
          .orderBy('link_id')
          .execute();
        return rows.map((r) => ({ linkId: r.link_id, count: Number(r.n), firstAt: toIso(r.first), lastAt: toIso(r.last) }));
      }),

    countByBucket(q, bucketMs) {
      if (!Number.isInteger(bucketMs) || bucketMs <= 0) throw new Error(`bucketMs must be a positive integer, got ${bucketMs}`);
      // Integer division on both engines (ts is INTEGER / BIGINT); the literal
      // is inlined so PostgreSQL does not have to guess a parameter's type.
      const bucket = sql<number | string>`(ts / ${sql.lit(bucketMs)})`;
      return each(q, async (ids): Promise<BucketClickCount[]> => {
        const rows = await matching(q, ids)
          .select(['link_id', bucket.as('b'), sql<number | string>`count(*)`.as('n')])
          .groupBy(['link_id', bucket])
          .orderBy('link_id')
          .orderBy(bucket)
          .execute();
        return rows.map((r) => ({ linkId: r.link_id, bucketStart: toIso(Number(r.b) * bucketMs), count: Number(r.n) }));
      });
    },

    countByDimension(q, dimension) {
      const column: keyof ClicksTable = dimension === 'country' ? 'country' : 'device_type';
      return each(q, async (ids): Promise<DimensionClickCount[]> => {
        const rows = await matching(q, ids)
          .select(['link_id', sql<string | null>`${sql.ref(column)}`.as('v'), sql<number | string>`count(*)`.as('n')])
          .groupBy(['link_id', column])
          .orderBy('link_id')
          .orderBy(column)
          .execute();
        return rows.map((r) => ({ linkId: r.link_id, value: r.v, count: Number(r.n) }));
      });
    },

    async listInRange(q, limit) {
      const rows = await each(q, (ids) => matching(q, ids).selectAll().orderBy('ts').orderBy('id').limit(limit).execute());
      // Several chunks each return their oldest `limit`; keep the oldest overall.
      rows.sort((a, b) => Number(a.ts) - Number(b.ts) || (a.id < b.id ? -1 : 1));
      return rows.slice(0, limit).map(clickFromRow);
    },
  };
}
