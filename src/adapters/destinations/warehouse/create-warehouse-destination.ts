import type { Destination, ErrorClass, SendContext, SendResult } from '../../../domain/delivery/destination.ts';
import type { FieldProblem } from '../../../domain/shared/errors.ts';
import { createNdjsonWarehouseWriter, type NdjsonWarehouseWriter } from './ndjson-warehouse-writer.ts';
import { createPostgresWarehouseWriter, quoteTable, type PostgresWarehouseWriter } from './postgres-warehouse-writer.ts';
import { toNdjsonLine, toWarehouseRow } from './warehouse-row.ts';
import { parseWarehouseSettings } from './warehouse-settings.ts';

// `warehouse` destination: every event as one row, either in a PostgreSQL
// table (mode "postgres") or in hourly NDJSON files (mode "ndjson"), both
// idempotent by event id so retries and replays never duplicate a row.

export interface WarehouseDestinationOptions {
  /** LINKHOOK_WAREHOUSE_DATABASE_URL; undefined: the postgres mode is off. */
  databaseUrl: string | undefined;
  /** LINKHOOK_WAREHOUSE_DIR (absolute); undefined: the ndjson mode is off. */
  rootDir: string | undefined;
  batchWindowMs?: number;
  maxBatchRows?: number;
}

export interface WarehouseDestination extends Destination {
  /** Flushes pending rows and closes the database pool (shutdown). */
  close(): Promise<void>;
}

/** PostgreSQL SQLSTATE classes that no retry can fix: bad table shape, no privilege, bad data. */
function classifyPgError(err: unknown): { errorClass: ErrorClass; permanent: boolean } {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return { errorClass: /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timeout|terminat/i.test(String(err)) ? 'connect' : 'internal', permanent: false };
  // 42: undefined column, missing unique constraint for ON CONFLICT, no privilege (42501).
  if (code.startsWith('42')) return { errorClass: 'config', permanent: true };
  if (code.startsWith('22') || code.startsWith('23')) return { errorClass: 'internal', permanent: true };
  // 08 connection, 53 resources, 57 shutdown, 40 serialization: worth another try.
  return { errorClass: code.startsWith('08') || code.startsWith('57') ? 'connect' : 'internal', permanent: false };
}

export function createWarehouseDestination(opts: WarehouseDestinationOptions): WarehouseDestination {
  let pgWriter: PostgresWarehouseWriter | null = null;
  let fileWriter: NdjsonWarehouseWriter | null = null;
  const pgUrl = opts.databaseUrl;
  const root = opts.rootDir;

  function validate(endpoint: { settings: Record<string, unknown> }): FieldProblem[] {
    const { settings, problems } = parseWarehouseSettings(endpoint.settings);
    if (settings?.mode === 'postgres' && !pgUrl) problems.push({ field: 'settings.mode', message: 'the postgres mode is not configured on this server (LINKHOOK_WAREHOUSE_DATABASE_URL is unset)' });
    if (settings?.mode === 'ndjson' && !root) problems.push({ field: 'settings.mode', message: 'the ndjson mode is not configured on this server (LINKHOOK_WAREHOUSE_DIR is unset)' });
    return problems;
  }

  async function send(ctx: SendContext): Promise<SendResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const { settings, problems } = parseWarehouseSettings(ctx.endpoint.settings);
    if (!settings) {
      const why = problems.map((p) => `${p.field} ${p.message}`).join('; ');
      return { ok: false, request: null, response: null, durationMs: elapsed(), errorClass: 'config', error: `warehouse endpoint cannot write: ${why}`, permanent: true };
    }
    const row = toWarehouseRow(ctx.event);
    const body = toNdjsonLine(row).trimEnd();
    // The server lost its warehouse config since the endpoint was created:
    // not permanent, the operator may restore it and the retry then lands.
    const unconfigured = (variable: string): SendResult => ({ ok: false, request: null, response: null, durationMs: elapsed(), errorClass: 'config', error: `${variable} is unset` });

    if (settings.mode === 'postgres') {
      if (!pgUrl) return unconfigured('LINKHOOK_WAREHOUSE_DATABASE_URL');
      pgWriter ??= createPostgresWarehouseWriter({ databaseUrl: pgUrl, batchWindowMs: opts.batchWindowMs, maxBatchRows: opts.maxBatchRows });
      const request = { method: 'INSERT', url: `postgres:${quoteTable(settings.table)}`, headers: {}, body };
      try {
        const out = await pgWriter.write(settings.table, row);
        const answer = JSON.stringify({ inserted: out.inserted, batch_rows: out.batchSize });
        return { ok: true, request, response: { status: 200, headers: {}, body: answer }, durationMs: elapsed(), errorClass: null, error: null };
      } catch (err) {
        return { ok: false, request, response: null, durationMs: elapsed(), ...classifyPgError(err), error: (err as Error).message };
      }
    }

    if (!root) return unconfigured('LINKHOOK_WAREHOUSE_DIR');
    fileWriter ??= createNdjsonWarehouseWriter({ root });
    const request = { method: 'APPEND', url: `file:${settings.directory || '.'}`, headers: {}, body };
    try {
      const out = await fileWriter.write(settings.directory, row);
      const answer = JSON.stringify({ appended: out.appended, file: out.file });
      return { ok: true, request: { ...request, url: `file:${out.file}` }, response: { status: 200, headers: {}, body: answer }, durationMs: elapsed(), errorClass: null, error: null };
    } catch (err) {
      return { ok: false, request, response: null, durationMs: elapsed(), errorClass: 'internal', error: (err as Error).message };
    }
  }

  return {
    kind: 'warehouse',
    validate,
    send,
    async close() {
      await pgWriter?.close();
    },
  };
}
