import type { Config } from '../../config/config.ts';
import { createLinkhook } from '../create-linkhook.ts';

/** `linkhook serve`: the server in the foreground until SIGTERM/SIGINT. */
export async function serve(config: Readonly<Config>): Promise<void> {
  const lh = await createLinkhook(config);
  const address = await lh.listen();
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  process.stdout.write(`linkhook listening on ${address} — short links at ${config.baseUrl}/<slug>, storage: ${where}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight redirects and flushing clicks...\n`);
    // A hard deadline: a stuck connection must not keep a deploy waiting forever.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    lh.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
