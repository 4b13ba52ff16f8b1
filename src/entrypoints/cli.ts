import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/config.ts';
import { AppError } from '../domain/shared/errors.ts';
import { importClicksCommand } from './commands/import-clicks.ts';
import { importLinks } from './commands/import-links.ts';
import { drillRuleCommand } from './commands/drill-rule.ts';
import { createKey } from './commands/keys.ts';
import { backtestCommand } from './commands/rules-backtest.ts';
import { serve } from './commands/serve.ts';
import { runWorker } from './commands/worker.ts';
import { rebuildAnalytics } from './commands/analytics-rebuild.ts';
import { openStorage } from './create-linkhook.ts';

// `linkhook <command>`: every command reads the same environment (docs/config.md).

const program = new Command('linkhook').description('Self-hostable link tracking: short links, QR codes, click capture.');

program
  .command('serve', { isDefault: true })
  .description('start the server (what `npm start` runs); migrations run first')
  .action(async () => serve(loadConfig()));

program
  .command('worker')
  .description('run delivery workers only, no HTTP server (serve runs one in-process unless LINKHOOK_WORKER=false)')
  .action(async () => runWorker(loadConfig()));

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const storage = await openStorage(loadConfig());
    try {
      await storage.migrate();
      process.stdout.write(`Migrations applied (${storage.dialect}).\n`);
    } finally {
      await storage.close();
    }
  });

const keys = program.command('keys').description('manage API keys');
keys
  .command('create')
  .description('create an API key; the key is printed alone on the last line')
  .requiredOption('--name <name>', 'what the key is for')
  .option('--workspace <workspace>', 'workspace handle (created if missing)', 'default')
  .option('--scopes <scopes...>', 'links:read links:write analytics:read domains:read domains:write admin (default: all but admin)')
  .action(async (o: { name: string; workspace: string; scopes?: string[] }) => createKey(loadConfig(), o));

program
  .command('analytics')
  .description('analytics rollups')
  .command('rebuild')
  .description('rebuild the daily analytics rollups from the raw click log')
  .action(async () => rebuildAnalytics(loadConfig(), (line) => process.stdout.write(`${line}\n`)));

const links = program.command('links').description('manage links');
links
  .command('import')
  .description('bulk-create links from a CSV file (our columns, Bitly and Dub exports)')
  .argument('<file>', 'CSV file with a header row')
  .option('--workspace <workspace>', 'workspace handle', 'default')
  .option('--report <path>', 'where to write the per-row report (default: FILE.report.csv)')
  .option('--check-redirects', 'request each destination (HEAD, SSRF-guarded) to report redirect chains')
  .action(async (file: string, o: { workspace: string; report?: string; checkRedirects?: boolean }) => {
    process.exitCode = await importLinks(loadConfig(), file, o);
  });

const rules = program.command('rules').description('alert rules');
rules
  .command('backtest')
  .description('replay stored clicks through a rule: when, and for which link, it would have fired (writes nothing)')
  .argument('<rule>', 'rule id (rule_...)')
  .requiredOption('--from <time>', 'start of the period, ISO 8601 (e.g. 2025-05-01T00:00:00Z)')
  .requiredOption('--to <time>', 'end of the period, ISO 8601')
  .option('--workspace <workspace>', 'workspace handle', 'default')
  .option('--json', 'print the whole result as JSON')
  .action(async (rule: string, o: { from: string; to: string; workspace: string; json?: boolean }) => {
    process.exitCode = await backtestCommand(loadConfig(), rule, o);
  });

const clicks = program.command('clicks').description('click history');
clicks
  .command('import')
  .description('import click history from an NDJSON file, one click per line (docs/api.md, "Click history import")')
  .argument('<file>', 'NDJSON file')
  .option('--workspace <workspace>', 'workspace handle', 'default')
  .action(async (file: string, o: { workspace: string }) => {
    process.exitCode = await importClicksCommand(loadConfig(), file, o);
  });

rules
  .command('drill')
  .description("push a synthetic alert (marked as a drill) through each of the rule's endpoints and report whether each accepted it")
  .argument('<rule>', 'rule id (rule_...)')
  .option('--workspace <workspace>', 'workspace handle', 'default')
  .action(async (rule: string, o: { workspace: string }) => {
    process.exitCode = await drillRuleCommand(loadConfig(), rule, o);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else if (err instanceof AppError) process.stderr.write(`error: ${err.code}: ${err.message}\n`);
  else process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
