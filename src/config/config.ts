import { isAbsolute, resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

// Every setting linkhook reads, in one schema with defaults, parsed once at
// start and frozen. docs/config.md documents each variable.

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const cidrList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''));

/** `90s`, `30m`, `72h`, `3d` or plain milliseconds, to milliseconds. */
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'must be a duration such as 90s, 30m, 72h or 3d')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(v) ?? [];
    return Number(n) * (DURATION_UNITS[unit ?? 'ms'] ?? 1);
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LINKHOOK_DATA_DIR: z.string().default('./data'),
  LINKHOOK_BASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  LINKHOOK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LINKHOOK_TRUST_PROXY: bool.default('false'),
  LINKHOOK_TEST_IP_RANGES: cidrList.default(''),
  LINKHOOK_STORE_IP: bool.default('false'),
  LINKHOOK_SECRET: z.string().min(16).optional(),
  LINKHOOK_CNAME_TARGET: z.string().optional(),
  LINKHOOK_CUSTOM_DOMAIN_SCHEME: z.enum(['http', 'https']).default('https'),
  LINKHOOK_GEO_DB: z.string().optional(),
  LINKHOOK_SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  LINKHOOK_CLICK_BATCH_MAX: z.coerce.number().int().min(1).max(10000).default(512),
  LINKHOOK_LINK_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60000),
  LINKHOOK_LINK_CACHE_SIZE: z.coerce.number().int().min(0).default(50000),
  LINKHOOK_OUTBOUND_ALLOW: cidrList
    .refine((l) => l.every((c) => ipaddr.isValidCIDR(c) || ipaddr.isValid(c)), 'must be comma-separated CIDR ranges, e.g. 127.0.0.0/8,::1/128')
    .default(''),
  LINKHOOK_OUTBOUND_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  LINKHOOK_OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  LINKHOOK_WORKER: bool.default('true'),
  LINKHOOK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  LINKHOOK_WORKER_POLL_MS: z.coerce.number().int().min(10).max(60000).default(250),
  // 60 s: the shortest rule window people set is about 5 min, so a minute is at most a fifth of a window late.
  LINKHOOK_RULES_EVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60000),
  LINKHOOK_HEALTH_INTERVAL: duration.default('30m'),
  LINKHOOK_HEALTH_PRIORITY_INTERVAL: duration.default('5m'),
  LINKHOOK_HEALTH_CONFIRM_AFTER: duration.default('1m'),
  LINKHOOK_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10000),
  LINKHOOK_EXPIRY_LEAD_TIMES: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .pipe(z.array(duration).min(1).max(10))
    .default('7d,1d'),
  LINKHOOK_LIFECYCLE_SWEEP_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60000),
  LINKHOOK_DELIVERY_LEASE_MS: z.coerce.number().int().min(1000).default(60000),
  LINKHOOK_ENDPOINT_DISABLE_AFTER: duration.default('72h'),
  LINKHOOK_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  LINKHOOK_SMTP_FROM: z.string().min(3).optional(),
  LINKHOOK_WAREHOUSE_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  LINKHOOK_WAREHOUSE_DIR: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  baseUrl: string;
  /** Host (and port) part of baseUrl: requests on it are the default domain. */
  defaultHost: string;
  databaseUrl: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  testIpRanges: string[];
  storeIp: boolean;
  secret: string | undefined;
  cnameTarget: string | undefined;
  customDomainScheme: 'http' | 'https';
  geoDbPath: string | undefined;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  clickBatchMax: number;
  linkCacheTtlMs: number;
  linkCacheSize: number;
  /** CIDR ranges outbound requests may reach even though they are private/loopback/link-local. */
  outboundAllow: string[];
  outboundConnectTimeoutMs: number;
  outboundTimeoutMs: number;
  /** Run a delivery worker inside `serve` (LINKHOOK_WORKER). */
  worker: boolean;
  workerConcurrency: number;
  workerPollMs: number;
  /** How often each enabled alert rule is evaluated (LINKHOOK_RULES_EVAL_MS). */
  rulesEvalMs: number;
  /** Destination health checks (docs/rules.md, trigger `health`): between checks, for priority links, to confirm a failure. */
  healthIntervalMs: number;
  healthPriorityIntervalMs: number;
  healthConfirmAfterMs: number;
  /** Per request of a health check (and per TLS handshake of the domain-health probe). */
  healthTimeoutMs: number;
  /** Before expires_at, when link.expiring is sent (LINKHOOK_EXPIRY_LEAD_TIMES). */
  expiryLeadTimesMs: number[];
  /** Between two lifecycle sweeps. */
  lifecycleSweepMs: number;
  deliveryLeaseMs: number;
  endpointDisableAfterMs: number;
  /** SMTP relay for email endpoints; undefined: email endpoints are refused. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** PostgreSQL for warehouse endpoints in postgres mode; undefined: that mode is refused. */
  warehouseDatabaseUrl: string | undefined;
  /** Absolute root under which warehouse endpoints in ndjson mode write. */
  warehouseDir: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Readonly<Config> {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = r.data;
  const baseUrl = (e.LINKHOOK_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: isAbsolute(e.LINKHOOK_DATA_DIR) ? e.LINKHOOK_DATA_DIR : resolve(cwd, e.LINKHOOK_DATA_DIR),
    baseUrl,
    defaultHost: new URL(baseUrl).hostname,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LINKHOOK_LOG_LEVEL,
    trustProxy: e.LINKHOOK_TRUST_PROXY,
    testIpRanges: e.LINKHOOK_TEST_IP_RANGES,
    storeIp: e.LINKHOOK_STORE_IP,
    secret: e.LINKHOOK_SECRET,
    cnameTarget: e.LINKHOOK_CNAME_TARGET,
    customDomainScheme: e.LINKHOOK_CUSTOM_DOMAIN_SCHEME,
    geoDbPath: e.LINKHOOK_GEO_DB,
    sqliteSynchronous: e.LINKHOOK_SQLITE_SYNCHRONOUS,
    clickBatchMax: e.LINKHOOK_CLICK_BATCH_MAX,
    linkCacheTtlMs: e.LINKHOOK_LINK_CACHE_TTL_MS,
    linkCacheSize: e.LINKHOOK_LINK_CACHE_SIZE,
    outboundAllow: e.LINKHOOK_OUTBOUND_ALLOW,
    outboundConnectTimeoutMs: e.LINKHOOK_OUTBOUND_CONNECT_TIMEOUT_MS,
    outboundTimeoutMs: e.LINKHOOK_OUTBOUND_TIMEOUT_MS,
    worker: e.LINKHOOK_WORKER,
    workerConcurrency: e.LINKHOOK_WORKER_CONCURRENCY,
    workerPollMs: e.LINKHOOK_WORKER_POLL_MS,
    rulesEvalMs: e.LINKHOOK_RULES_EVAL_MS,
    healthIntervalMs: e.LINKHOOK_HEALTH_INTERVAL,
    healthPriorityIntervalMs: e.LINKHOOK_HEALTH_PRIORITY_INTERVAL,
    healthConfirmAfterMs: e.LINKHOOK_HEALTH_CONFIRM_AFTER,
    healthTimeoutMs: e.LINKHOOK_HEALTH_TIMEOUT_MS,
    expiryLeadTimesMs: e.LINKHOOK_EXPIRY_LEAD_TIMES,
    lifecycleSweepMs: e.LINKHOOK_LIFECYCLE_SWEEP_MS,
    deliveryLeaseMs: e.LINKHOOK_DELIVERY_LEASE_MS,
    endpointDisableAfterMs: e.LINKHOOK_ENDPOINT_DISABLE_AFTER,
    smtpUrl: e.LINKHOOK_SMTP_URL,
    smtpFrom: e.LINKHOOK_SMTP_FROM ?? `linkhook <linkhook@${new URL(baseUrl).hostname}>`,
    warehouseDatabaseUrl: e.LINKHOOK_WAREHOUSE_DATABASE_URL,
    warehouseDir: e.LINKHOOK_WAREHOUSE_DIR ? resolve(cwd, e.LINKHOOK_WAREHOUSE_DIR) : resolve(cwd, e.LINKHOOK_DATA_DIR, 'warehouse'),
  });
}
