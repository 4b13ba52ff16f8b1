import type { Config } from '../../config/config.ts';
import { systemClock } from '../../domain/shared/clock.ts';
import { createAnalyticsRollupWorker } from '../../worker/analytics-rollup-worker.ts';
import { openStorage } from '../create-linkhook.ts';

/**
 * `linkhook analytics rebuild`: drops the daily rollups and folds every
 * settled click again from the raw click log, the source of truth. Safe while
 * the server runs: its rollup worker sees the cursor move and starts over
 * from the rebuilt state, and queries read raw clicks until the rebuild
 * passes them (the unfolded tail is then too long for the rollup path).
 */
export async function rebuildAnalytics(config: Readonly<Config>, out: (line: string) => void): Promise<void> {
  const storage = await openStorage(config);
  try {
    await storage.migrate();
    const started = Date.now();
    await storage.analytics.resetRollups();
    const worker = createAnalyticsRollupWorker({ analytics: storage.analytics, clock: systemClock, onError: () => {} });
    const n = await worker.catchUp();
    const s = (Date.now() - started) / 1000;
    out(`Rebuilt analytics rollups from ${n} clicks in ${s.toFixed(1)} s (${Math.round(n / Math.max(s, 0.001))} clicks/s).`);
  } finally {
    await storage.close();
  }
}
