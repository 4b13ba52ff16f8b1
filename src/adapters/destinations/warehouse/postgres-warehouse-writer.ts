import pg from 'pg';
import type { WarehouseRow } from './warehouse-row.ts';

// Batched, idempotent writes of event rows into PostgreSQL tables.
// Concurrent sends to one table wait a few ms and go out as ONE multi-row
// INSERT ... ON CONFLICT (event_id) DO NOTHING: a fan-out of N events costs
// one round trip and one commit instead of N, and a retried delivery of an
// event already written changes nothing. Each send resolves when the
// statement holding its row has committed (autocommit: one statement, one
// transaction), never before.

export interface RowOutcome {
  /** false: a row with this event id was already there (a retry, or a replay). */
  inserted: boolean;
  /** Rows in the statement that carried this one. */
  batchSize: number;
}

export interface PostgresWarehouseWriter {
  write(table: string, row: WarehouseRow): Promise<RowOutcome>;
  close(): Promise<void>;
}

export interface PostgresWarehouseWriterOptions {
  databaseUrl: string;
  /** How long the first row of a batch waits for company. */
  batchWindowMs?: number;
  maxBatchRows?: number;
}

interface Pending {
  row: WarehouseRow;
  resolve(o: RowOutcome): void;
  reject(e: unknown): void;
}

interface Queue {
  rows: Pending[];
  timer: NodeJS.Timeout | null;
}

/** `name` or `schema.name`, already validated by the settings parser: quote each part. */
export function quoteTable(table: string): string {
  return table
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

const COLUMNS = 6;

export function createPostgresWarehouseWriter(opts: PostgresWarehouseWriterOptions): PostgresWarehouseWriter {
  // 5 ms adds nothing a human sees to a delivery, and under a fan-out it
  // collects hundreds of rows; 500 rows x 6 params stays far below
  // PostgreSQL's 65,535 bind parameters per statement.
  const windowMs = opts.batchWindowMs ?? 5;
  const maxRows = opts.maxBatchRows ?? 500;
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 4, connectionTimeoutMillis: 10_000, statement_timeout: 30_000 });
  // An idle client that the server drops would otherwise be an unhandled 'error' event.
  pool.on('error', () => undefined);
  const queues = new Map<string, Queue>();
  const tablesReady = new Map<string, Promise<void>>();

  function ensureTable(table: string): Promise<void> {
    let ready = tablesReady.get(table);
    if (!ready) {
      const t = quoteTable(table);
      const index = quoteTable(`${table.split('.').pop() ?? table}_occurred_at_idx`.slice(0, 63));
      ready = pool
        .query(
          `CREATE TABLE IF NOT EXISTS ${t} (
             event_id text PRIMARY KEY,
             type text NOT NULL,
             workspace_id text NOT NULL,
             occurred_at timestamptz NOT NULL,
             link_id text,
             payload jsonb NOT NULL,
             loaded_at timestamptz NOT NULL DEFAULT now()
           );
           CREATE INDEX IF NOT EXISTS ${index} ON ${t} (occurred_at)`,
        )
        .then(
          () => undefined,
          (err: { code?: string }) => {
            // Two processes creating the same table race on the catalogue; the loser sees it exists.
            if (err.code === '23505' || err.code === '42P07') return;
            tablesReady.delete(table);
            throw err;
          },
        );
      tablesReady.set(table, ready);
    }
    return ready;
  }

  async function insert(table: string, batch: Pending[]): Promise<Set<string>> {
    const values: unknown[] = [];
    const tuples = batch.map((p, i) => {
      const r = p.row;
      values.push(r.event_id, r.type, r.workspace_id, r.occurred_at, r.link_id, JSON.stringify(r.payload));
      const b = i * COLUMNS;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::jsonb)`;
    });
    const res = await pool.query<{ event_id: string }>(
      `INSERT INTO ${quoteTable(table)} (event_id, type, workspace_id, occurred_at, link_id, payload)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      values,
    );
    return new Set(res.rows.map((r) => r.event_id));
  }

  async function flush(table: string): Promise<void> {
    const q = queues.get(table);
    if (!q || q.rows.length === 0) return;
    if (q.timer) clearTimeout(q.timer);
    q.timer = null;
    const taken = q.rows.splice(0);
    // The same event twice in one batch (two endpoints on one table, or a
    // replay racing a retry) is one row: the first claims it, the others
    // share its fate.
    const firstOf = new Map<string, Pending>();
    for (const p of taken) if (!firstOf.has(p.row.event_id)) firstOf.set(p.row.event_id, p);
    const settle = (eventId: string, outcome: RowOutcome | { error: unknown }): void => {
      for (const p of taken) {
        if (p.row.event_id !== eventId) continue;
        if ('error' in outcome) p.reject(outcome.error);
        else p.resolve({ ...outcome, inserted: outcome.inserted && firstOf.get(eventId) === p });
      }
    };
    try {
      await ensureTable(table);
      const inserted = await insert(table, [...firstOf.values()]);
      for (const id of firstOf.keys()) settle(id, { inserted: inserted.has(id), batchSize: firstOf.size });
    } catch (err) {
      if (firstOf.size === 1) {
        for (const id of firstOf.keys()) settle(id, { error: err });
        return;
      }
      // One bad row must not fail its neighbours: write them one by one so
      // each send gets its own answer (rare path, so N statements is fine).
      for (const [id, p] of firstOf) {
        try {
          const one = await insert(table, [p]);
          settle(id, { inserted: one.has(id), batchSize: 1 });
        } catch (e) {
          settle(id, { error: e });
        }
      }
    }
  }

  return {
    write(table, row) {
      return new Promise<RowOutcome>((resolve, reject) => {
        let q = queues.get(table);
        if (!q) {
          q = { rows: [], timer: null };
          queues.set(table, q);
        }
        q.rows.push({ row, resolve, reject });
        if (q.rows.length >= maxRows) void flush(table);
        else q.timer ??= setTimeout(() => void flush(table), windowMs);
      });
    },
    async close() {
      await Promise.all([...queues.keys()].map((t) => flush(t)));
      await pool.end();
    },
  };
}
