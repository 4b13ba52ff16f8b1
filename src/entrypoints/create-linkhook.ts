import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDnsResolver } from '../adapters/dns/create-dns-resolver.ts';
import { createGeoLookup } from '../adapters/geo/create-geo-lookup.ts';
import { createQrRenderer } from '../adapters/qr/create-qr-renderer.ts';
import { createPostgresStorage } from '../adapters/storage/postgres/create-postgres-storage.ts';
import { createSqliteStorage } from '../adapters/storage/sqlite/create-sqlite-storage.ts';
import { createUserAgentParser } from '../adapters/ua/create-user-agent-parser.ts';
import type { Config } from '../config/config.ts';
import type { DnsResolver, Storage } from '../domain/ports.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { systemClock } from '../domain/shared/clock.ts';
import { ensureWorkspace } from '../domain/workspaces/ensure-workspace.ts';
import type { DeliverySignal } from '../domain/delivery/delivery-signal.ts';
import { createDeliverySignal } from '../domain/delivery/delivery-signal.ts';
import { createMetrics } from '../http/metrics.ts';
import type { DeliveryDispatcher } from '../worker/delivery-dispatcher.ts';
import { createAnalyticsRollupWorker } from '../worker/analytics-rollup-worker.ts';
import { createDeliveryWorker } from './create-delivery-worker.ts';
import { createRuleEvaluatorWorker } from './create-rule-evaluator.ts';
import { wireEvaluators } from './wire-evaluators.ts';
import { createLifecycleSweeperWorker, wireMonitorEvaluators } from './wire-monitors.ts';
import type { RuleEvaluator } from '../worker/rule-evaluator.ts';
import { createReportWorker } from './create-report-worker.ts';
import { wireDestinations } from './wire-destinations.ts';
import type { HttpServer } from '../http/server.ts';
import { createHttpServer } from '../http/server.ts';

// The only place that wires adapters to the domain and the HTTP layer.

export interface Linkhook {
  config: Readonly<Config>;
  storage: Storage;
  http: HttpServer;
  /** Wakes the in-process delivery worker: call after committing events. */
  deliverySignal: DeliverySignal;
  /** The in-process delivery worker; undefined with LINKHOOK_WORKER=false. */
  worker: DeliveryDispatcher | undefined;
  /** The in-process alert rule evaluator; undefined with LINKHOOK_WORKER=false. */
  rules: RuleEvaluator | undefined;
  /** Starts listening (and the delivery worker); resolves to the address (http://host:port). */
  listen(): Promise<string>;
  /** Stops accepting requests, flushes pending clicks, closes storage. */
  close(): Promise<void>;
}

export interface Overrides {
  storage?: Storage;
  dns?: DnsResolver;
  clock?: Clock;
}

/** Storage from config: PostgreSQL when DATABASE_URL is set, else SQLite in the data dir. */
export async function openStorage(config: Readonly<Config>): Promise<Storage> {
  if (config.databaseUrl) return createPostgresStorage({ url: config.databaseUrl });
  mkdirSync(config.dataDir, { recursive: true });
  return createSqliteStorage({ file: join(config.dataDir, 'linkhook.db'), synchronous: config.sqliteSynchronous, backgroundCheckpoint: true });
}

export async function createLinkhook(config: Readonly<Config>, overrides: Overrides = {}): Promise<Linkhook> {
  const clock = overrides.clock ?? systemClock;
  const storage = overrides.storage ?? (await openStorage(config));
  await storage.migrate();
  await ensureWorkspace(storage, clock);
  const secret = config.secret ?? (await storage.instanceSecret());
  const { registry, metrics } = createMetrics();
  const outbound = wireDestinations(config);
  const { destinations } = outbound;
  // Created before the server so API writes can wake the in-process worker.
  const deliverySignal = createDeliverySignal();
  const http = await createHttpServer({
    settings: {
      baseUrl: config.baseUrl,
      defaultHost: config.defaultHost,
      customDomainScheme: config.customDomainScheme,
      trustProxy: config.trustProxy,
      testIpRanges: config.testIpRanges,
      storeIp: config.storeIp,
      secret,
      cnameTarget: config.cnameTarget,
      clickBatchMax: config.clickBatchMax,
      linkCacheTtlMs: config.linkCacheTtlMs,
      linkCacheSize: config.linkCacheSize,
      logLevel: config.logLevel,
    },
    storage,
    clock,
    geo: await createGeoLookup(config.geoDbPath),
    ua: createUserAgentParser(),
    qr: createQrRenderer(),
    dns: overrides.dns ?? createDnsResolver(),
    metrics,
    registry,
    destinations,
    checkOutboundUrl: (url) => outbound.checkOutboundUrl(url),
    outboundHttp: outbound.http,
    deliverySignal,
  });

  // Delivery worker (src/worker): in-process unless LINKHOOK_WORKER=false.
  const worker = config.worker ? createDeliveryWorker(config, { storage, clock, destinations, signal: deliverySignal, registry }) : undefined;
  const monitors = wireMonitorEvaluators(config, { storage, http: outbound.http, dns: overrides.dns ?? createDnsResolver() });
  const rules = config.worker ? createRuleEvaluatorWorker(config, { storage, clock, registry: wireEvaluators(monitors), signal: deliverySignal }) : undefined;
  // link.expiring / link.expired / link.scheduled_change_applied (src/worker/lifecycle-sweeper.ts).
  const lifecycle = config.worker ? createLifecycleSweeperWorker(config, { storage, clock, signal: deliverySignal }) : undefined;
  const reports = config.worker ? createReportWorker(config, { storage, clock, signal: deliverySignal }) : undefined;
  // Analytics rollups (src/worker/analytics-rollup-worker.ts): errors are logged, the API falls back to raw clicks meanwhile.
  const rollups = config.worker ? createAnalyticsRollupWorker({ analytics: storage.analytics, clock, onError: (err) => http.app.log.error({ err }, 'analytics rollup failed') }) : undefined;

  let closed = false;
  return {
    config,
    storage,
    http,
    deliverySignal,
    worker,
    rules,
    async listen() {
      worker?.start();
      rules?.start();
      lifecycle?.start();
      reports?.start();
      rollups?.start();
      return http.app.listen({ port: config.port, host: config.host });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Every step runs even when one before it fails (a database already
      // gone makes the lease releases throw): a loop left running after a
      // failed stop would spin on the closed storage and keep the process up.
      const steps: (() => Promise<unknown> | undefined)[] = [
        () => http.app.close(),
        () => http.drain(),
        () => rules?.stop(),
        () => lifecycle?.stop(),
        () => reports?.stop(),
        () => rollups?.stop(),
        () => worker?.stop({ graceMs: 5000 }), // finishes in-flight deliveries (5 s, inside serve's 10 s deadline), gives back the rest
        () => outbound.close(),
        () => storage.close(),
      ];
      const failures: unknown[] = [];
      for (const step of steps) {
        try {
          await step();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}
