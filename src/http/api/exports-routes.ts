import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { exportClickPages, exportLinkPages } from '../../domain/analytics/export-pages.ts';
import type { Click } from '../../domain/clicks/click.ts';
import type { Link } from '../../domain/links/link.ts';
import type { HttpDeps } from '../http-deps.ts';
import { parseClickExportQuery, parseLinkExportQuery } from './analytics-query.ts';
import { requireScope, workspaceOf } from './auth.ts';
import { clickJson } from './click-view.ts';
import { csvLine } from './csv.ts';
import type { CsvValue } from './csv.ts';
import { linkJson } from './link-view.ts';

// Streamed exports. The query is parsed (422 on a bad one) before any byte is
// sent; then pages flow through a Readable that pulls the next page only when
// the socket drains, so memory stays at about one page whatever the size.

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

const CLICK_COLUMNS = [
  'id', 'link_id', 'ts', 'domain', 'slug', 'method', 'referrer', 'referrer_domain', 'user_agent', 'browser', 'browser_version', 'os',
  'device_type', 'is_bot', 'bot_reason', 'country', 'region', 'city', 'is_qr', 'is_test', 'visitor_hash',
  ...UTM_KEYS.map((k) => `utm_${k}`),
];

function clickCsv(c: Click, withIp: boolean): string {
  const cells: CsvValue[] = [
    c.id, c.linkId, c.ts, c.domain, c.slug, c.method, c.referrer, c.referrerDomain, c.userAgent, c.browser, c.browserVersion, c.os,
    c.deviceType, c.isBot, c.botReason, c.country, c.region, c.city, c.isQr, c.isTest, c.visitorHash,
    ...UTM_KEYS.map((k) => c.utm[k]),
  ];
  if (withIp) cells.push(c.ip);
  return csvLine(cells);
}

const LINK_COLUMNS = ['id', 'short_url', 'domain', 'slug', 'url', 'title', 'tags', 'campaign', ...UTM_KEYS.map((k) => `utm_${k}`), 'priority', 'owner', 'expires_at', 'is_test', 'external_id', 'created_at', 'updated_at'];

type Format = 'csv' | 'ndjson';

async function* encode<T>(pages: AsyncGenerator<T[]>, format: Format, header: string, csv: (row: T) => string, json: (row: T) => unknown): AsyncGenerator<string> {
  if (format === 'csv') yield header;
  for await (const page of pages) {
    let chunk = '';
    for (const row of page) chunk += format === 'csv' ? csv(row) : `${JSON.stringify(json(row))}\n`;
    yield chunk;
  }
}

function stream(reply: FastifyReply, name: string, format: Format, body: AsyncGenerator<string>, now: Date): FastifyReply {
  const date = now.toISOString().slice(0, 10);
  return reply
    .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${date}.${format === 'csv' ? 'csv' : 'ndjson'}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(body, { objectMode: false }));
}

export async function exportsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { settings } = deps;

  app.get('/exports/clicks', { onRequest: requireScope(deps.storage, 'analytics:read') }, async (request, reply) => {
    const { format, selection } = parseClickExportQuery(request.query, settings.defaultHost, workspaceOf(request));
    const header = csvLine(settings.storeIp ? [...CLICK_COLUMNS, 'ip'] : CLICK_COLUMNS);
    const body = encode(exportClickPages(deps.storage, selection), format, header, (c) => clickCsv(c, settings.storeIp), clickJson);
    return stream(reply, 'clicks', format, body, deps.clock.now());
  });

  app.get('/exports/links', { onRequest: requireScope(deps.storage, 'links:read') }, async (request, reply) => {
    const { format, filter } = parseLinkExportQuery(request.query, settings.defaultHost);
    const now = deps.clock.now();
    const linkCsv = (l: Link): string => {
      const j = linkJson(l, settings, now);
      return csvLine([l.id, j.short_url, l.domain, l.slug, l.url, l.title, l.tags.join(','), l.campaign, ...UTM_KEYS.map((k) => l.utm[k]), l.priority, l.owner, l.expiresAt, l.isTest, l.externalId, l.createdAt, l.updatedAt]);
    };
    const body = encode(exportLinkPages(deps.storage, workspaceOf(request), filter), format, csvLine(LINK_COLUMNS), linkCsv, (l) => linkJson(l, settings, now));
    return stream(reply, 'links', format, body, now);
  });
}
