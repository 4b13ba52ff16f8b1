import { createCrmDestination } from '../adapters/destinations/crm/create-crm-destination.ts';
import { createEmailDestination } from '../adapters/destinations/email/create-email-destination.ts';
import { createGithubDestination } from '../adapters/destinations/github/create-github-destination.ts';
import { createHttpDestination } from '../adapters/destinations/http/create-http-destination.ts';
import { createJiraDestination } from '../adapters/destinations/jira/create-jira-destination.ts';
import { createPagerDutyDestination } from '../adapters/destinations/pagerduty/create-pagerduty-destination.ts';
import { createSlackDestination } from '../adapters/destinations/slack/create-slack-destination.ts';
import { createTeamsDestination } from '../adapters/destinations/teams/create-teams-destination.ts';
import { createWarehouseDestination } from '../adapters/destinations/warehouse/create-warehouse-destination.ts';
import { createHttpClient } from '../adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../adapters/outbound/create-outbound-guard.ts';
import type { Config } from '../config/config.ts';
import type { Destination, HttpClient } from '../domain/delivery/destination.ts';
import { MAX_LOGGED_BODY_BYTES } from '../domain/delivery/destination.ts';
import type { EndpointKind } from '../domain/delivery/endpoint.ts';
import type { FieldProblem } from '../domain/shared/errors.ts';

export interface WiredDestinations {
  destinations: ReadonlyMap<EndpointKind, Destination>;
  /** The SSRF check endpoints' URLs get at creation (422 when blocked). */
  checkOutboundUrl(url: string): Promise<FieldProblem | null>;
  /** The same guarded client, for other outbound checks (import QA). */
  http: HttpClient;
  /** Closes keep-alive sockets, the SMTP pool and the warehouse pool. */
  close(): Promise<void>;
}

/**
 * Every destination kind behind one SSRF guard and one keep-alive HTTP
 * client, shared by `linkhook serve` (API test-sends, in-process worker) and
 * `linkhook worker`.
 */
export function wireDestinations(config: Readonly<Config>): WiredDestinations {
  const guard = createOutboundGuard(config.outboundAllow);
  const http = createHttpClient({ guard, connectTimeoutMs: config.outboundConnectTimeoutMs, totalTimeoutMs: config.outboundTimeoutMs, maxBodyBytes: MAX_LOGGED_BODY_BYTES });
  const email = createEmailDestination({ smtpUrl: config.smtpUrl, from: config.smtpFrom });
  const warehouse = createWarehouseDestination({ databaseUrl: config.warehouseDatabaseUrl, rootDir: config.warehouseDir });
  const destinations = new Map<EndpointKind, Destination>([
    ['http', createHttpDestination(http)],
    ['slack', createSlackDestination(http)],
    ['teams', createTeamsDestination(http)],
    ['pagerduty', createPagerDutyDestination(http)],
    ['github', createGithubDestination(http)],
    ['jira', createJiraDestination(http)],
    ['crm', createCrmDestination(http)],
    ['email', email],
    ['warehouse', warehouse],
  ]);
  return {
    destinations,
    checkOutboundUrl: (url) => guard.check(url),
    http,
    async close() {
      http.close();
      email.close();
      await warehouse.close();
    },
  };
}
