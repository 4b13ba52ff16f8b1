import type { Config } from '../config/config.ts';
import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import type { Storage } from '../domain/ports.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { ReportScheduler } from '../worker/report-scheduler.ts';
import { createReportScheduler } from '../worker/report-scheduler.ts';

// Wiring of the report scheduler (docs/reports.md), started next to the
// delivery worker by `linkhook serve` and `linkhook worker`.

export function createReportWorker(config: Readonly<Config>, parts: { storage: Storage; clock: Clock; signal: DeliverySignal; log?: (m: string) => void }): ReportScheduler {
  const log = parts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return createReportScheduler({
    deps: { storage: parts.storage, clock: parts.clock, baseUrl: config.baseUrl, customDomainScheme: config.customDomainScheme },
    signal: parts.signal,
    onError: (err) => log(`report scheduler: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
}
