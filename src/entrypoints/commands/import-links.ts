import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse';
import type { Config } from '../../config/config.ts';
import { emitEvent } from '../../domain/events/emit-event.ts';
import { CLI_ACTOR } from '../../domain/events/event-payloads.ts';
import { newEvent } from '../../domain/events/new-event.ts';
import { bulkCreateLinks } from '../../domain/links/bulk-create-links.ts';
import type { LinkDeps } from '../../domain/links/link-deps.ts';
import { mapColumns, rowToLinkBody } from '../../domain/links/import-row.ts';
import { shortUrl } from '../../domain/links/short-url.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts';
import { openStorage } from '../create-linkhook.ts';

export interface ImportOptions {
  workspace?: string;
  report?: string;
}

/** Rows per bulk call: big enough to amortise the commit, small enough for a smooth progress bar. */
const CHUNK = 500;

function csvCell(v: string): string {
  // Spreadsheet formula injection: a cell starting with = + - @ is executed by Excel.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function readRecords(file: string): Promise<{ headers: string[]; records: Record<string, string>[] }> {
  const records: Record<string, string>[] = [];
  let headers: string[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      trim: true,
      columns: (h: string[]) => {
        headers = h;
        return h;
      },
    }),
  );
  for await (const rec of parser) records.push(rec as Record<string, string>);
  return { headers, records };
}

/** `linkhook links import FILE.csv`: bulk-creates links, prints a summary, writes a per-row report. */
export async function importLinks(config: Readonly<Config>, file: string, opts: ImportOptions): Promise<number> {
  const { headers, records } = await readRecords(file);
  const columns = mapColumns(headers);
  if (!columns.has('url')) {
    process.stderr.write(`No destination column found in ${file}. Expected one of: url, destination, long_url.\n`);
    return 2;
  }
  const storage = await openStorage(config);
  const reportPath = opts.report ?? `${file}.report.csv`;
  const report = createWriteStream(reportPath);
  report.write('row,status,id,short_url,error_code,error_message\n');
  const bar = new cliProgress.SingleBar(
    { format: 'Importing [{bar}] {value}/{total} rows | {created} created, {failed} failed', noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  let created = 0;
  const failures: string[] = [];
  try {
    await storage.migrate();
    const ws = await ensureWorkspace(storage, systemClock, opts.workspace);
    const startedAt = systemClock.now();
    const deps: LinkDeps = { storage, clock: systemClock, defaultHost: config.defaultHost, baseUrl: config.baseUrl, customDomainScheme: config.customDomainScheme };
    bar.start(records.length, 0, { created: 0, failed: 0 });
    for (let start = 0; start < records.length; start += CHUNK) {
      const bodies = records.slice(start, start + CHUNK).map((r) => rowToLinkBody(r, columns));
      const results = await bulkCreateLinks(deps, ws.id, bodies, CLI_ACTOR);
      for (const r of results) {
        // Row numbers as a spreadsheet shows them: the header is row 1.
        const row = start + r.index + 2;
        if (r.ok) {
          created++;
          report.write(`${row},created,${r.link.id},${csvCell(shortUrl(r.link, config.baseUrl, config.customDomainScheme))},,\n`);
        } else {
          failures.push(`  row ${row}: ${r.error.code}: ${r.error.message}`);
          report.write(`${row},failed,,,${r.error.code},${csvCell(r.error.message)}\n`);
        }
      }
      bar.update(Math.min(start + CHUNK, records.length), { created, failed: failures.length });
    }
    bar.stop();
    // The summary is its own event (each created link already has its
    // link.created): a chunked import is many transactions, not one change.
    const finishedAt = systemClock.now();
    const summary = { source: 'cli' as const, file: basename(file), rows: records.length, created, failed: failures.length, started_at: startedAt.toISOString(), finished_at: finishedAt.toISOString() };
    await storage.transaction((tx) => emitEvent(tx, newEvent('import.completed', ws.id, { import: summary, actor: CLI_ACTOR }, finishedAt)));
  } finally {
    report.end();
    await once(report, 'close');
    await storage.close();
  }
  process.stdout.write(`Imported ${records.length} rows from ${file}: ${created} created, ${failures.length} failed.\n`);
  if (failures.length > 0) {
    process.stdout.write(`${failures.slice(0, 20).join('\n')}\n`);
    if (failures.length > 20) process.stdout.write(`  ... and ${failures.length - 20} more\n`);
  }
  process.stdout.write(`Per-row report: ${reportPath}\n`);
  return failures.length > 0 ? 1 : 0;
}
