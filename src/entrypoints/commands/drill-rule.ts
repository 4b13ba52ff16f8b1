import type { Config } from '../../config/config.ts';
import { drillRule } from '../../domain/rules/drill-rule.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { notFound } from '../../domain/shared/errors.ts';
import { openStorage } from '../create-linkhook.ts';
import { wireDestinations } from '../wire-destinations.ts';

/**
 * `linkhook rules drill RULE`: a synthetic alert through each of the rule's
 * real endpoints, now; one line per endpoint. Exit code 0 when every
 * endpoint accepted it, 1 otherwise (so a cron job or CI step can run drills).
 */
export async function drillRuleCommand(config: Readonly<Config>, ruleId: string, opts: { workspace: string }): Promise<number> {
  const storage = await openStorage(config);
  const outbound = wireDestinations(config);
  try {
    await storage.migrate();
    const ws = await storage.workspaces.getBySlug(opts.workspace);
    if (!ws) throw notFound('Workspace', opts.workspace);
    const result = await drillRule({ storage, clock: systemClock, destinations: outbound.destinations }, ws.id, ruleId);
    for (const e of result.endpoints) {
      const how = e.ok ? `accepted (HTTP ${e.status ?? '-'})` : `REFUSED: ${e.error_class ?? ''} ${e.error ?? `HTTP ${e.status ?? '-'}`}`.trim();
      process.stdout.write(`${e.endpoint_id} ${e.kind ?? '?'} (${e.role}): ${how} in ${Math.round(e.duration_ms)} ms\n`);
    }
    if (result.endpoints.length === 0) process.stdout.write('The rule names no endpoint.\n');
    process.stdout.write(`Drill ${result.alert_id}: ${result.ok ? 'every endpoint accepted it' : 'NOT every endpoint accepted it'}.\n`);
    return result.ok ? 0 : 1;
  } finally {
    await outbound.close();
    await storage.close();
  }
}
