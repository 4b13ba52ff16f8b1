import type { AnalyticsRepo } from '../../../domain/analytics/ports.ts';
import type { VisitorMemory } from '../../../domain/analytics/visitor-memory.ts';
import { hash53 } from '../../../domain/analytics/visitor-memory.ts';
import type { RunningDelta } from './analytics-running-write.ts';
import { addRunningDeltas } from './analytics-running-write.ts';
import type { AnalyticsDb, RollupClickRow } from './analytics-sql.ts';
import { DAY_MS, ROLLUP_CLICK_COLUMNS, ROLLUP_DIMS, analyticsDb, rollupValue, utmOf } from './analytics-sql.ts';
import type { RepoContext } from './repo-context.ts';
import { atomic } from './repo-context.ts';

// The rollup worker's step: fold the next settled clicks past the cursor into
// the running totals, moving the cursor in the same transaction.
//
// Several workers (servers and `linkhook worker` processes on one PostgreSQL
// database, or `analytics rebuild` beside a server on SQLite): only the
// holder of the lease in analytics_rollup_state folds; the others check it
// and sleep. One folder keeps its visitor sets warm - folders taking turns
// would each re-read the day's clicks to rebuild them. Should two fold at
// once anyway (a lease that expired mid-step), the one that loses the
// compare-and-set on the cursor rolls back whole, so no click is ever
// counted twice.

/**
 * Clicks younger than this are left for the next step: a click is committed
 * after its id is minted, at worst after SQLite's 5 s busy timeout
 * (sqlite-dialect.ts). 10 s is twice that; a commit later still is missed by
 * the rollup until the next rebuild (resetRollups).
 */
export const SETTLE_MS = 10_000;

/** Clicks per step: ~100 ms of work on this box, so a step never holds the write lock long. */
export const DEFAULT_BATCH = 5000;

/**
 * How long a lease lasts without renewal. The holder renews it at half-life
 * (a step is ~0.1-0.3 s and an idle worker steps every second), so only a
 * dead or stalled holder loses it; its successor starts 30 s later at worst,
 * while queries keep adding the unfolded clicks from raw (TAIL_MAX in
 * analytics-repo.ts, 20 s at 1,000 clicks/s) or read raw. Clocks of the
 * processes must agree to well within this.
 */
export const LEASE_MS = 30_000;

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** The smallest click id minted at `ms`: ids are `clk_` + a lowercase ULID, whose first 10 characters are the time. */
export function clickIdFloor(ms: number): string {
  let t = Math.max(0, Math.floor(ms));
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = (CROCKFORD[t % 32] as string) + out;
    t = Math.floor(t / 32);
  }
  return `clk_${out}`;
}

/** The time a click id was minted at (its ULID time part). */
export function clickIdTime(id: string): number {
  let t = 0;
  for (const ch of id.slice(4, 14)) t = t * 32 + CROCKFORD.indexOf(ch);
  return t;
}

class LostCursor extends Error {}

async function seedDay(db: AnalyticsDb, memory: VisitorMemory, workspaceId: string, day: number, cursor: string, no: number | boolean): Promise<void> {
  memory.open(workspaceId, day);
  // Clicks minted after the cursor cannot have been folded: a day that starts
  // after it (the usual case: a new day, a rebuild) needs no read at all.
  if (cursor === '' || day > clickIdTime(cursor)) return;
  const rows = (await db
    .selectFrom('clicks')
    .select(ROLLUP_CLICK_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('ts', '>=', day)
    .where('ts', '<', day + DAY_MS)
    .where('id', '<=', cursor)
    .where('is_bot', '=', no)
    .where('is_test', '=', no)
    .execute()) as RollupClickRow[];
  const sets = memory.day(workspaceId, day);
  for (const row of rows) {
    const utm = utmOf(row);
    const visitor = hash53(row.visitor_hash);
    for (const dim of ROLLUP_DIMS) memory.add(sets, `${dim}\u0000${rollupValue(row, utm, dim) ?? ''}`, visitor);
  }
}

export function createAnalyticsRollup(ctx: RepoContext): Pick<AnalyticsRepo, 'refreshRollups' | 'resetRollups' | 'releaseRollups'> {
  const no = ctx.dialect.bool(false);

  /** Clicks folded, or null when the lease turned out to be another's (handed to a rebuild, released). */
  const step = (db: AnalyticsDb, memory: VisitorMemory, nowMs: number, batch: number): Promise<number | null> =>
    (async () => {
      const state = await db.selectFrom('analytics_rollup_state').select(['click_id', 'lease_owner']).where('name', '=', 'clicks').executeTakeFirstOrThrow();
      if (state.lease_owner !== memory.owner) {
        memory.leaseUntil = 0; // handed over meanwhile (a rebuild takes it): ask the database again
        return null;
      }
      const cursor = state.click_id;
      if (memory.cursor !== cursor) {
        memory.clear(); // first step, or another process moved the cursor: our sets are stale
        memory.cursor = cursor;
      }
      const rows = (await db
        .selectFrom('clicks')
        .select(ROLLUP_CLICK_COLUMNS)
        .where('id', '>', cursor)
        .where('id', '<', clickIdFloor(nowMs - SETTLE_MS))
        .orderBy('id')
        .limit(batch)
        .execute()) as RollupClickRow[];
      const last = rows[rows.length - 1];
      if (!last) return 0;

      const deltas = new Map<string, RunningDelta>();
      const touched = new Set<string>();
      for (const row of rows) {
        if (row.is_bot || row.is_test) continue;
        const day = Math.floor(Number(row.ts) / DAY_MS) * DAY_MS;
        touched.add(`${row.workspace_id} ${day}`);
        if (!memory.has(row.workspace_id, day)) await seedDay(db, memory, row.workspace_id, day, cursor, no);
        const utm = utmOf(row);
        const sets = memory.day(row.workspace_id, day);
        const visitor = hash53(row.visitor_hash);
        const prefix = `${row.workspace_id}\u0000${day}\u0000`;
        for (const dim of ROLLUP_DIMS) {
          const value = rollupValue(row, utm, dim) ?? '';
          const group = `${dim}\u0000${value}`;
          const id = prefix + group;
          const fresh = memory.add(sets, group, visitor) ? 1 : 0;
          const d = deltas.get(id);
          if (d) {
            d.clicks++;
            d.visitors += fresh;
          } else deltas.set(id, { workspace_id: row.workspace_id, dim, day, value, clicks: 1, visitors: fresh });
        }
      }
      await addRunningDeltas(db, [...deltas.values()]);
      const moved = await db
        .updateTable('analytics_rollup_state')
        .set({ click_id: last.id, updated_at: nowMs })
        .where('name', '=', 'clicks')
        .where('click_id', '=', cursor)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new LostCursor();
      memory.cursor = last.id;
      memory.trim(touched);
      return rows.length;
    })();

  const db = analyticsDb(ctx.db);

  /**
   * True when `memory`'s worker holds the lease, taking or renewing it if
   * needed. Read first: a worker that sees another's live lease writes
   * nothing (on SQLite a write takes the file's write lock, every second).
   */
  const holdLease = async (memory: VisitorMemory, nowMs: number): Promise<boolean> => {
    if (memory.leaseUntil - nowMs > LEASE_MS / 2) return true;
    const state = await db.selectFrom('analytics_rollup_state').select(['lease_owner', 'lease_expires_at']).where('name', '=', 'clicks').executeTakeFirstOrThrow();
    if (state.lease_owner !== null && state.lease_owner !== memory.owner && Number(state.lease_expires_at) > nowMs) return false;
    const until = nowMs + LEASE_MS;
    // The compare-and-set: of workers seeing the lease free at once, one wins.
    const taken = await db
      .updateTable('analytics_rollup_state')
      .set({ lease_owner: memory.owner, lease_expires_at: until })
      .where('name', '=', 'clicks')
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', memory.owner), eb('lease_expires_at', '<=', nowMs)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return false;
    memory.leaseUntil = until;
    return true;
  };

  return {
    async refreshRollups(memory, nowMs, batch = DEFAULT_BATCH) {
      // Twice at most: our idea of the lease may be stale (a rebuild took it and gave it back).
      for (let attempt = 0; attempt < 2; attempt++) {
        if (!(await holdLease(memory, nowMs))) return 0;
        try {
          const n = await atomic(ctx, (tx) => step(analyticsDb(tx), memory, nowMs, batch));
          if (n !== null) return n;
        } catch (err) {
          memory.clear(); // the transaction rolled back: so must the sets
          if (err instanceof LostCursor) return 0;
          throw err;
        }
      }
      return 0;
    },

    async resetRollups(memory, nowMs = Date.now()) {
      await atomic(ctx, async (tx) => {
        const t = analyticsDb(tx);
        await t.deleteFrom('analytics_running').execute();
        await t.deleteFrom('analytics_values').execute();
        // The rebuilding worker takes the lease with the reset, so a running server's worker waits instead of racing it.
        const lease = memory ? { lease_owner: memory.owner, lease_expires_at: nowMs + LEASE_MS } : {};
        await t.updateTable('analytics_rollup_state').set({ click_id: '', updated_at: nowMs, ...lease }).where('name', '=', 'clicks').execute();
      });
      if (memory) {
        memory.clear();
        memory.leaseUntil = nowMs + LEASE_MS;
      }
    },

    async releaseRollups(memory) {
      memory.leaseUntil = 0;
      await db
        .updateTable('analytics_rollup_state')
        .set({ lease_owner: null, lease_expires_at: null })
        .where('name', '=', 'clicks')
        .where('lease_owner', '=', memory.owner)
        .execute();
    },
  };
}
