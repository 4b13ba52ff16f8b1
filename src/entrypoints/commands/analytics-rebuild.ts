import type { Config } from '../../config/config.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { createAnalyticsRollupWorker } from '../../worker/analytics-rollup-worker.ts';
import { openStorage } from '../create-linkhook.ts';

/**
 * `linkhook analytics rebuild`: drops the rollups and folds every
 * settled click again from the raw click log, the source of truth. Safe while
 * servers and workers run: the rebuild takes the fold lease with the reset,
 * so their rollup workers wait and resume from the rebuilt state when it
 * gives the lease back; queries read raw clicks until the rebuild passes
 * them (the unfolded tail is then too long for the rollup path).
 */
export async function rebuildAnalytics(config: Readonly<Config>, out: (line: string) => void): Promise<void> {
  const storage = await openStorage(config);
  try {
    await storage.migrate();
    const started = Date.now();
    const worker = createAnalyticsRollupWorker({ analytics: storage.analytics, clock: systemClock, onError: () => {} });
    const n = await worker.rebuild();
    await worker.stop(); // gives the lease back: a running server's worker resumes at once
    const s = (Date.now() - started) / 1000;
    out(`Rebuilt analytics rollups from ${n} clicks in ${s.toFixed(1)} s (${Math.round(n / Math.max(s, 0.001))} clicks/s).`);
  } finally {
    await storage.close();
  }
}
