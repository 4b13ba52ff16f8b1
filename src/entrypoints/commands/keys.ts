import type { Config } from '../../config/config.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { createApiKey, parseScopes } from '../../domain/workspaces/create-api-key.ts';
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts';
import { openStorage } from '../create-linkhook.ts';

export interface CreateKeyOptions {
  name: string;
  workspace?: string;
  scopes?: string[];
}

/**
 * `linkhook keys create`: prints a description, then the key alone on the
 * last line of stdout so scripts can take it with `tail -n 1`.
 */
export async function createKey(config: Readonly<Config>, opts: CreateKeyOptions): Promise<void> {
  const storage = await openStorage(config);
  try {
    await storage.migrate();
    const scopes = parseScopes(opts.scopes);
    const ws = await ensureWorkspace(storage, systemClock, opts.workspace);
    const { key, record } = await createApiKey(storage, systemClock, ws.id, opts.name, scopes);
    process.stdout.write(`Created API key ${record.id} "${record.name}" for workspace ${ws.slug} with scopes ${scopes.join(', ')}.\n`);
    process.stdout.write('Store it now: it is shown only once.\n');
    process.stdout.write(`${key}\n`);
  } finally {
    await storage.close();
  }
}
