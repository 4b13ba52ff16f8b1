import type { HttpClient } from '../delivery/destination.ts';
import { emitEvent } from '../events/emit-event.ts';
import type { ActorPayload } from '../events/envelope.ts';
import { newEvent } from '../events/new-event.ts';
import type { BulkRowResult } from '../links/bulk-create-links.ts';
import { bulkCreateLinks } from '../links/bulk-create-links.ts';
import type { LinkDeps } from '../links/link-deps.ts';
import { mapColumns, rowDomainHint, rowToLinkBody } from '../links/import-row.ts';
import { validationError } from '../shared/errors.ts';
import type { ImportQa, QaRow } from './import-qa.ts';
import { runImportQa } from './import-qa.ts';

// A CSV import, shared by `linkhook links import` and POST /api/v1/imports:
// QA first (slug collisions must be looked up before our own inserts make
// every slug "taken"), then bulk create in chunks, then import.completed
// with the counts and the QA findings.

export interface ImportRequest {
  headers: string[];
  records: Record<string, string>[];
  source: 'cli' | 'api';
  file: string | null;
  actor: ActorPayload;
  /** Given: destinations are requested to find redirect chains (outbound traffic; off unless asked). */
  http?: HttpClient;
  onProgress?: (done: number, created: number, failed: number) => void;
}

export interface ImportOutcome {
  /** Row results with spreadsheet row numbers (header = 1). */
  results: (BulkRowResult & { row: number })[];
  created: number;
  failed: number;
  qa: ImportQa;
  eventId: string;
}

/** Rows per bulk call: big enough to amortise the commit, small enough for a smooth progress bar. */
const CHUNK = 500;
/** Findings an event carries: a 10,000-row import with a finding per row would make a 2 MB webhook. */
export const MAX_EVENT_FINDINGS = 100;
export const MAX_IMPORT_ROWS = 50_000;

export async function runImport(deps: LinkDeps, workspaceId: string, req: ImportRequest): Promise<ImportOutcome> {
  const columns = mapColumns(req.headers);
  if (!columns.has('url')) throw validationError([{ field: 'csv', message: 'no destination column found; expected one of: url, destination, long_url' }]);
  if (req.records.length === 0) throw validationError([{ field: 'csv', message: 'has a header row but no links' }]);
  if (req.records.length > MAX_IMPORT_ROWS) throw validationError([{ field: 'csv', message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
  const startedAt = deps.clock.now();
  const rows: QaRow[] = req.records.map((r, i) => ({ row: i + 2, body: rowToLinkBody(r, columns), domainHint: rowDomainHint(r, columns) }));
  const qa = await runImportQa(rows, { repos: deps.storage, workspaceId, defaultHost: deps.defaultHost, now: startedAt, ...(req.http ? { http: req.http } : {}) });

  const results: ImportOutcome['results'] = [];
  let created = 0;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    for (const r of await bulkCreateLinks(deps, workspaceId, chunk.map((x) => x.body), req.actor)) {
      if (r.ok) created++;
      results.push({ ...r, row: start + r.index + 2 });
    }
    req.onProgress?.(Math.min(start + CHUNK, rows.length), created, results.length - created);
  }

  // The summary is its own event (each created link already has its
  // link.created): a chunked import is many transactions, not one change.
  const finishedAt = deps.clock.now();
  const summary = {
    source: req.source,
    file: req.file,
    rows: rows.length,
    created,
    failed: results.length - created,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    qa: { ...qa, findings: qa.findings.slice(0, MAX_EVENT_FINDINGS), truncated: qa.findings.length > MAX_EVENT_FINDINGS },
  };
  const event = newEvent('import.completed', workspaceId, { import: summary, actor: req.actor }, finishedAt);
  await deps.storage.transaction((tx) => emitEvent(tx, event));
  deps.signal?.notify();
  return { results, created, failed: summary.failed, qa, eventId: event.id };
}
