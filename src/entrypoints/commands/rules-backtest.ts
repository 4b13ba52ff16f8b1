import type { Config } from '../../config/config.ts';
import { backtestRuleById } from '../../domain/rules/backtest.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { ensureWorkspace } from '../../domain/workspaces/ensure-workspace.ts';
import { openStorage } from '../create-linkhook.ts';

export interface BacktestOptions {
  from: string;
  to: string;
  workspace?: string;
  json?: boolean;
}

/** Firings printed as lines; --json prints them all. A rule firing more often than this needs tuning, not reading. */
const SHOWN = 50;

/** `linkhook rules backtest RULE --from --to`: what POST /api/v1/rules/{id}/backtest answers, for a terminal. */
export async function backtestCommand(config: Readonly<Config>, ruleId: string, opts: BacktestOptions): Promise<number> {
  const storage = await openStorage(config);
  try {
    await storage.migrate();
    const ws = await ensureWorkspace(storage, systemClock, opts.workspace);
    const result = await backtestRuleById(storage, ws.id, ruleId, { from: opts.from, to: opts.to });
    if (opts.json === true) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const links = new Set(result.firings.map((f) => f.subject)).size;
    process.stdout.write(
      `Rule ${result.rule_id} over ${result.from} .. ${result.to}: ${result.steps} windows of ${result.window}, ` +
        `${result.firings.length}${result.truncated ? '+' : ''} firings on ${links} subject${links === 1 ? '' : 's'}.\n`,
    );
    for (const f of result.firings.slice(0, SHOWN)) process.stdout.write(`  ${f.at}  ${f.link_id ?? f.subject}  ${f.summary}\n`);
    if (result.firings.length > SHOWN) process.stdout.write(`  ... and ${result.firings.length - SHOWN} more (--json lists them all)\n`);
    return 0;
  } finally {
    await storage.close();
  }
}
