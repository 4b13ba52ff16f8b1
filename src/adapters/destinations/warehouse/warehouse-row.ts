import type { EventEnvelope } from '../../../domain/events/envelope.ts';

// One event as one warehouse row: the same columns in the PostgreSQL table
// and in every NDJSON line, so a query written against one works on the
// other. Keys come out in a stable order (columns fixed, payload sorted)
// so the same event always serialises to the same bytes: loaders that hash
// lines, diff files or dedupe on content see no spurious changes.

export interface WarehouseRow {
  event_id: string;
  type: string;
  workspace_id: string;
  occurred_at: string;
  link_id: string | null;
  /** The whole envelope as every other destination gets it, keys sorted. */
  payload: unknown;
}

/** Deep copy with object keys sorted; arrays keep their order (it means something). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function toWarehouseRow(event: EventEnvelope): WarehouseRow {
  return {
    event_id: event.id,
    type: event.type,
    workspace_id: event.workspace_id,
    occurred_at: event.timestamp,
    link_id: event.data.link?.id ?? null,
    payload: sortKeys(event),
  };
}

/** One NDJSON line (with its newline): JSON.stringify keeps insertion order, which toWarehouseRow fixed. */
export function toNdjsonLine(row: WarehouseRow): string {
  return `${JSON.stringify(row)}\n`;
}

/**
 * Hive-style hourly partition of an event, by the time it happened (not the
 * time it was delivered): a retry days later still lands in the same file,
 * which is what makes the file-level dedup by event id possible.
 */
export function partitionOf(occurredAt: string): { dt: string; hour: string } {
  const d = new Date(occurredAt);
  if (Number.isNaN(d.getTime())) throw new Error(`event timestamp is not a date: ${occurredAt}`);
  const iso = d.toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}
