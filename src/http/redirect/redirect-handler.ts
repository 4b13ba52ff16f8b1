import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClickEnricher, Visit } from '../../domain/clicks/build-click.ts';
import { buildClick } from '../../domain/clicks/build-click.ts';
import type { Click } from '../../domain/clicks/click.ts';
import type { ClickWithLink } from '../../domain/clicks/commit-clicks.ts';
import type { ClickRecorder } from '../../domain/clicks/click-recorder.ts';
import { TEST_MARKER_HEADER, TEST_MARKER_PARAM } from '../../domain/clicks/test-traffic.ts';
import type { CustomDomain } from '../../domain/domains/custom-domain.ts';
import type { Link } from '../../domain/links/link.ts';
import { SLUG_PATTERN } from '../../domain/links/link.ts';
import type { Resolution } from '../../domain/links/resolve-destination.ts';
import { resolveVisit } from '../../domain/links/resolve-destination.ts';
import { QR_MARKER_PARAM } from '../../domain/links/short-url.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { Metrics } from '../metrics.ts';
import { PAGES } from './pages.ts';
import type { Page } from './pages.ts';
import type { RedirectLookup } from './redirect-lookup.ts';
import { sendPage, sendRedirect } from './respond.ts';

export interface RedirectContext {
  lookup: RedirectLookup;
  recorder: ClickRecorder<ClickWithLink>;
  enricher: ClickEnricher;
  clock: Clock;
  metrics: Metrics;
}

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

// Shared, never mutated: most short-link requests carry no query string.
const NO_QUERY = new URLSearchParams();

/**
 * GET/HEAD /{slug}. For a cached link the only await is the group commit of
 * its click: the redirect is written after the click is in the database.
 */
export function createRedirectHandler(ctx: RedirectContext) {
  const { lookup, recorder, enricher, clock } = ctx;
  // Bound once: prom-client hashes the label object on every labelled inc().
  const counters = new Map<number, { inc(): void }>();
  const count = (status: number): void => {
    let c = counters.get(status);
    if (c === undefined) counters.set(status, (c = ctx.metrics.redirects.labels(String(status))));
    c.inc();
  };
  const page = (reply: FastifyReply, p: Page): FastifyReply => {
    count(p.status);
    return sendPage(reply, p);
  };

  return async function redirect(request: SlugRequest, reply: FastifyReply): Promise<FastifyReply> {
    let domain: CustomDomain | null | undefined;
    let link: Link | null | undefined = null;
    const slug = request.params.slug;
    try {
      const rawHost = request.host;
      domain = lookup.peekHost(rawHost);
      if (domain === undefined) domain = await lookup.loadHost(rawHost);
      const hostname = domain === null ? null : domain.hostname;
      // A slug that cannot exist needs no lookup (and no cache entry).
      if (SLUG_PATTERN.test(slug)) {
        link = lookup.peekLink(hostname, slug);
        if (link === undefined) link = await lookup.loadLink(hostname, slug);
      }
    } catch (error) {
      request.log.error({ err: error }, 'redirect lookup failed');
      return page(reply, PAGES.unavailable);
    }

    if (link === null) {
      if (domain !== null && domain.fallbackUrl !== null) {
        count(302);
        return sendRedirect(reply, 302, domain.fallbackUrl);
      }
      return page(reply, PAGES.notFound);
    }

    const now = clock.now();
    let query = NO_QUERY;
    let isQr = false;
    let testQuery = false;
    const url = request.url;
    const q = url.indexOf('?');
    if (q !== -1 && q < url.length - 1) {
      query = new URLSearchParams(url.slice(q + 1));
      isQr = query.get(QR_MARKER_PARAM) === '1';
      testQuery = query.get(TEST_MARKER_PARAM) === '1';
      // Our markers are for us; the destination never sees them.
      query.delete(QR_MARKER_PARAM);
      query.delete(TEST_MARKER_PARAM);
    }

    const headers = request.headers;
    const testHeader = headers[TEST_MARKER_HEADER];
    const visit: Visit = {
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      domain: link.domain,
      slug: link.slug,
      ip: request.ip,
      userAgent: headers['user-agent'],
      referrer: headers.referer,
      isQr,
      testQuery,
      testHeader: typeof testHeader === 'string' ? testHeader : undefined,
    };

    let resolution: Resolution;
    let click: Click;
    try {
      resolution = resolveVisit(link, now, query);
      click = buildClick(link, visit, now, enricher);
    } catch (error) {
      request.log.error({ err: error, linkId: link.id }, 'could not resolve a visit');
      return page(reply, PAGES.unavailable);
    }
    try {
      await recorder.record({ click, link });
    } catch {
      // No redirect without its click. Logged once per failed batch by the
      // recorder's observer, not once per waiting request.
      return page(reply, PAGES.unavailable);
    }

    switch (resolution.kind) {
      case 'redirect':
        count(resolution.status);
        return sendRedirect(reply, resolution.status, resolution.location);
      case 'expired':
        if (resolution.location === null) return page(reply, PAGES.expired);
        count(302);
        return sendRedirect(reply, 302, resolution.location);
      case 'disabled':
        return page(reply, PAGES.disabled);
    }
  };
}
