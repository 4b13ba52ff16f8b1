import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { InvalidationKey, Repos, Storage } from '../../../domain/ports.ts';
import { createAnalyticsRepo } from './analytics-repo.ts';
import { createClickRepo } from './click-repo.ts';
import type { Db } from './database.ts';
import { createDeliveryRepo } from './delivery-repo.ts';
import { createDomainRepo } from './domain-repo.ts';
import { createEndpointRepo } from './endpoint-repo.ts';
import { createEventRepo } from './event-repo.ts';
import { createDestinationStateRepo, createIdempotencyRepo } from './idempotency-repo.ts';
import { createLinkMonitorRepo } from './link-monitor-repo.ts';
import { createLinkRepo } from './link-repo.ts';
import type { RepoContext } from './repo-context.ts';
import { createReportScheduleRepo, createReportStatsRepo } from './report-repo.ts';
import { createAlertRepo, createRuleRepo } from './rule-repo.ts';
import { runMigrations } from './run-migrations.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { createApiKeyRepo, createWorkspaceRepo } from './workspace-repos.ts';

export function createRepos(ctx: RepoContext): Repos {
  return {
    analytics: createAnalyticsRepo(ctx),
    workspaces: createWorkspaceRepo(ctx),
    apiKeys: createApiKeyRepo(ctx),
    links: createLinkRepo(ctx),
    clicks: createClickRepo(ctx),
    domains: createDomainRepo(ctx),
    events: createEventRepo(ctx),
    endpoints: createEndpointRepo(ctx),
    deliveries: createDeliveryRepo(ctx),
    destinationState: createDestinationStateRepo(ctx),
    idempotency: createIdempotencyRepo(ctx),
    rules: createRuleRepo(ctx),
    alerts: createAlertRepo(ctx),
    linkMonitor: createLinkMonitorRepo(ctx),
    reports: createReportScheduleRepo(ctx),
    reportStats: createReportStatsRepo(ctx),
  };
}

const SECRET_KEY = 'instance_secret';

/** The Storage port over any kysely database, given what differs per dialect. */
export function createSqlStorage(db: Db, dialect: SqlDialect): Storage {
  const listeners = new Set<(key: InvalidationKey) => void>();
  let secret: Promise<string> | undefined;
  let closing: Promise<void> | undefined;

  const deliver = (key: InvalidationKey): void => {
    // A throwing listener must not starve the others of the news.
    const failures: unknown[] = [];
    for (const listener of listeners) {
      try {
        listener(key);
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length === 1 && failures[0] instanceof Error) throw failures[0];
    if (failures.length > 0) throw new AggregateError(failures, 'invalidation listener failed');
  };

  const loadSecret = async (): Promise<string> => {
    // Insert-if-absent, then read: when several processes start at once, the
    // first insert wins and everyone (the losers included) reads the winner's.
    await db
      .insertInto('settings')
      .values({ key: SECRET_KEY, value: randomBytes(32).toString('hex') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await db.selectFrom('settings').select('value').where('key', '=', SECRET_KEY).executeTakeFirstOrThrow();
    return row.value;
  };

  return {
    ...createRepos({ db, dialect, inTx: false }),
    dialect: dialect.name,

    async transaction(fn) {
      return db.transaction().execute((tx) => fn(createRepos({ db: tx, dialect, inTx: true })));
    },

    migrate: () => runMigrations(db, dialect),

    instanceSecret() {
      secret ??= loadSecret().catch((err: unknown) => {
        secret = undefined; // a failed first call (database down) may be retried
        throw err;
      });
      return secret;
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    onInvalidate(listener) {
      if (listeners.size === 0) dialect.subscribe?.(deliver);
      listeners.add(listener);
    },

    // Local listeners are called here, directly and exactly once; the dialect
    // tells other processes, and ignores its own echo (see postgres-notifier.ts).
    async invalidate(key) {
      try {
        deliver(key);
      } finally {
        await dialect.publish?.(key);
      }
    },

    close() {
      closing ??= (async () => {
        listeners.clear();
        await dialect.close?.();
        await db.destroy();
      })();
      return closing;
    },
  };
}
