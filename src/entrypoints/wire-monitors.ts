import { createOutboundGuard } from '../adapters/outbound/create-outbound-guard.ts';
import { createTlsProbe } from '../adapters/tls/create-tls-probe.ts';
import type { Config } from '../config/config.ts';
import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import type { HttpClient } from '../domain/delivery/destination.ts';
import type { DnsResolver, Storage } from '../domain/ports.ts';
import type { Evaluator } from '../domain/rules/evaluator.ts';
import { createDomainHealthEvaluator } from '../domain/rules/evaluators/domain-health-evaluator.ts';
import { createHealthEvaluator } from '../domain/rules/evaluators/health-evaluator.ts';
import { createUtmPolicyEvaluator } from '../domain/rules/evaluators/utm-policy-evaluator.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { LifecycleSweeper } from '../worker/lifecycle-sweeper.ts';
import { createLifecycleSweeper } from '../worker/lifecycle-sweeper.ts';

// Wiring of the link monitors: the evaluators that need adapters (health:
// the guarded HTTP client; domain_health: DNS and a TLS probe; utm_policy:
// none, kept here with its siblings) and the lifecycle sweeper loop. Shared
// by `linkhook serve` (in-process worker) and `linkhook worker`.

/** Health checks in flight per evaluation: enough to get through a few hundred links a minute without hammering one site. */
const HEALTH_CONCURRENCY = 8;
/** Checks per evaluation; the rest stay due and are taken at the next one (one rule evaluation must stay short). */
const HEALTH_MAX_CHECKS = 200;
/** A week: after a worker outage, late notices are still news; older ones are not. */
const LIFECYCLE_LOOKBACK_MS = 7 * 86_400_000;

export interface MonitorAdapters {
  storage: Storage;
  /** The SSRF-guarded outbound client (wireDestinations' one). */
  http: HttpClient;
  dns: DnsResolver;
}

export function wireMonitorEvaluators(config: Readonly<Config>, adapters: MonitorAdapters): Evaluator[] {
  const tls = createTlsProbe({ guard: createOutboundGuard(config.outboundAllow), timeoutMs: config.healthTimeoutMs });
  return [
    createHealthEvaluator({
      storage: adapters.storage,
      http: adapters.http,
      baseUrl: config.baseUrl,
      customDomainScheme: config.customDomainScheme,
      intervalMs: config.healthIntervalMs,
      priorityIntervalMs: config.healthPriorityIntervalMs,
      confirmAfterMs: config.healthConfirmAfterMs,
      timeoutMs: config.healthTimeoutMs,
      concurrency: HEALTH_CONCURRENCY,
      maxChecksPerRun: HEALTH_MAX_CHECKS,
    }),
    createUtmPolicyEvaluator(),
    createDomainHealthEvaluator({ dns: adapters.dns, tls, cnameTarget: config.cnameTarget, customDomainScheme: config.customDomainScheme }),
  ];
}

export interface LifecycleParts {
  storage: Storage;
  clock: Clock;
  signal: DeliverySignal;
  log?: (message: string) => void;
}

export function createLifecycleSweeperWorker(config: Readonly<Config>, parts: LifecycleParts): LifecycleSweeper {
  const log = parts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return createLifecycleSweeper({
    sweep: {
      storage: parts.storage,
      clock: parts.clock,
      baseUrl: config.baseUrl,
      customDomainScheme: config.customDomainScheme,
      signal: parts.signal,
      leadTimesMs: config.expiryLeadTimesMs,
      lookbackMs: LIFECYCLE_LOOKBACK_MS,
      batchSize: 500,
    },
    everyMs: config.lifecycleSweepMs,
    onError: (err) => log(`lifecycle sweeper: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
}
