import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse';
import { createHttpClient } from '../../adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../adapters/outbound/create-outbound-guard.ts';
import type { Config } from '../../config/config.ts';
import { CLI_ACTOR } from '../../domain/events/event-payloads.ts';
import type { ImportFinding } from '../../domain/imports/import-qa.ts';
import { runImport } from '../../domain/imports/run-import.ts';
import type { LinkDeps } from '../../domain/links/link-deps.ts';
import { mapColumns } from '../../domain/links/import-row.ts';
import { shortUrl } from '../../domain/links/short-url.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts';
import { openStorage } from '../create-linkhook.ts';

export interface ImportOptions {
  workspace?: string;
  report?: string;
  /** Request each destination to find redirect chains (outbound traffic, so opt-in). */
  checkRedirects?: boolean;
}

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

function printQa(findings: ImportFinding[], counts: Record<string, number>, redirectsChecked: boolean): void {
  const totals = Object.entries(counts).filter(([, n]) => n > 0);
  process.stdout.write(`QA: ${totals.length === 0 ? 'no findings' : totals.map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ')}${redirectsChecked ? '' : ' (redirect chains not checked: --check-redirects)'}.\n`);
  for (const f of findings.slice(0, 20)) process.stdout.write(`  row ${f.row}: ${f.kind}: ${f.message}\n`);
  if (findings.length > 20) process.stdout.write(`  ... and ${findings.length - 20} more in the report file\n`);
}

/** `linkhook links import FILE.csv`: QA, bulk-creates links, prints a summary, writes a per-row report. */
export async function importLinks(config: Readonly<Config>, file: string, opts: ImportOptions): Promise<number> {
  const { headers, records } = await readRecords(file);
  if (!mapColumns(headers).has('url')) {
    process.stderr.write(`No destination column found in ${file}. Expected one of: url, destination, long_url.\n`);
    return 2;
  }
  const storage = await openStorage(config);
  const http = opts.checkRedirects
    ? createHttpClient({ guard: createOutboundGuard(config.outboundAllow), connectTimeoutMs: config.outboundConnectTimeoutMs, totalTimeoutMs: config.outboundTimeoutMs, maxBodyBytes: 4096 })
    : undefined;
  const reportPath = opts.report ?? `${file}.report.csv`;
  const report = createWriteStream(reportPath);
  report.write('row,status,id,short_url,error_code,error_message,qa\n');
  const bar = new cliProgress.SingleBar(
    { format: 'Importing [{bar}] {value}/{total} rows | {created} created, {failed} failed', noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  try {
    await storage.migrate();
    const ws = await ensureWorkspace(storage, systemClock, opts.workspace);
    const deps: LinkDeps = { storage, clock: systemClock, defaultHost: config.defaultHost, baseUrl: config.baseUrl, customDomainScheme: config.customDomainScheme };
    bar.start(records.length, 0, { created: 0, failed: 0 });
    const outcome = await runImport(deps, ws.id, {
      headers,
      records,
      source: 'cli',
      file: basename(file),
      actor: CLI_ACTOR,
      ...(http ? { http } : {}),
      onProgress: (done, created, failed) => bar.update(done, { created, failed }),
    });
    bar.stop();
    const qaByRow = new Map<number, string[]>();
    for (const f of outcome.qa.findings) qaByRow.set(f.row, [...(qaByRow.get(f.row) ?? []), `${f.kind}: ${f.message}`]);
    const failures: string[] = [];
    for (const r of outcome.results) {
      const qa = csvCell((qaByRow.get(r.row) ?? []).join('; '));
      if (r.ok) report.write(`${r.row},created,${r.link.id},${csvCell(shortUrl(r.link, config.baseUrl, config.customDomainScheme))},,,${qa}\n`);
      else {
        failures.push(`  row ${r.row}: ${r.error.code}: ${r.error.message}`);
        report.write(`${r.row},failed,,,${r.error.code},${csvCell(r.error.message)},${qa}\n`);
      }
    }
    process.stdout.write(`Imported ${records.length} rows from ${file}: ${outcome.created} created, ${outcome.failed} failed.\n`);
    if (failures.length > 0) {
      process.stdout.write(`${failures.slice(0, 20).join('\n')}\n`);
      if (failures.length > 20) process.stdout.write(`  ... and ${failures.length - 20} more\n`);
    }
    printQa(outcome.qa.findings, outcome.qa.counts, outcome.qa.redirects_checked);
    process.stdout.write(`Per-row report: ${reportPath}\n`);
    return outcome.failed > 0 ? 1 : 0;
  } catch (err) {
    bar.stop();
    if (!(err instanceof AppError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  } finally {
    report.end();
    await once(report, 'close');
    http?.close();
    await storage.close();
  }
}
