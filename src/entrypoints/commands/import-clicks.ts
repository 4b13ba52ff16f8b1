import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createUserAgentParser } from '../../adapters/ua/create-user-agent-parser.ts';
import type { Config } from '../../config/config.ts';
import { importClicks } from '../../domain/clicks/import-clicks.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts';
import { openStorage } from '../create-linkhook.ts';

/** Rejected lines printed; the rest are counted. */
const SHOWN = 20;

/**
 * `linkhook clicks import FILE`: the NDJSON click history import of
 * POST /api/v1/clicks/import, streamed from a file. Exit code 1 when any line
 * was rejected (the others are imported all the same), 0 otherwise.
 */
export async function importClicksCommand(config: Readonly<Config>, file: string, opts: { workspace?: string }): Promise<number> {
  const storage = await openStorage(config);
  try {
    await storage.migrate();
    const ws = await ensureWorkspace(storage, systemClock, opts.workspace);
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    const r = await importClicks({ storage, ua: createUserAgentParser(), clock: systemClock }, ws.id, lines);
    process.stdout.write(`Imported ${r.imported} clicks from ${file}; ${r.rejected_count} lines rejected.\n`);
    for (const x of r.rejected.slice(0, SHOWN)) process.stdout.write(`  line ${x.line}: ${x.error}\n`);
    if (r.rejected_count > SHOWN) process.stdout.write(`  ... and ${r.rejected_count - SHOWN} more\n`);
    return r.rejected_count > 0 ? 1 : 0;
  } finally {
    await storage.close();
  }
}
