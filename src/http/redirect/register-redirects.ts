import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClickRecorder } from '../../domain/clicks/click-recorder.ts';
import type { ClickWithLink } from '../../domain/clicks/commit-clicks.ts';
import { createClickCommitter } from '../../domain/clicks/commit-clicks.ts';
import { TestIpRanges } from '../../domain/clicks/test-traffic.ts';
import { VisitorHasher } from '../../domain/clicks/visitor-hash.ts';
import type { HttpDeps } from '../http-deps.ts';
import { PAGES } from './pages.ts';
import { createRedirectHandler } from './redirect-handler.ts';
import { RedirectLookup } from './redirect-lookup.ts';
import { sendPage, sendRedirect } from './respond.ts';

/**
 * The redirect routes: GET and HEAD on `/{slug}` (and `/`) for every Host.
 * Fastify's router prefers static routes, so /api/..., /healthz and /metrics
 * (registered by the API) are never shadowed by the parametric `/:slug`.
 *
 * Returns `drain()`: commits the clicks still queued; call it after the
 * server stopped accepting requests and before storage closes.
 */
export async function registerRedirects(app: FastifyInstance, deps: HttpDeps): Promise<{ drain(): Promise<void> }> {
  const { settings, storage, metrics } = deps;
  const lookup = new RedirectLookup(storage, settings.defaultHost, settings.linkCacheSize, settings.linkCacheTtlMs);
  // Clicks, and their link.clicked / qr.scanned events when subscribed, in one transaction per batch.
  const commit = createClickCommitter({
    storage,
    baseUrl: settings.baseUrl,
    customDomainScheme: settings.customDomainScheme,
    onEvents: () => deps.deliverySignal?.notify(),
  });
  const recorder = new ClickRecorder<ClickWithLink>({ insertMany: commit }, settings.clickBatchMax, {
    committed(count, seconds) {
      metrics.clicksRecorded.inc(count);
      metrics.clickBatchSize.observe(count);
      metrics.clickCommitSeconds.observe(seconds);
    },
    failed(count, error) {
      app.log.error({ err: error, clicks: count }, 'click batch failed to commit; its redirects get 503');
    },
  });
  const handler = createRedirectHandler({
    lookup,
    recorder,
    clock: deps.clock,
    metrics,
    enricher: {
      // The adapter memoises parses: real traffic repeats a few hundred user agents.
      ua: deps.ua,
      geo: deps.geo,
      hasher: new VisitorHasher(settings.secret),
      testIps: new TestIpRanges(settings.testIpRanges),
      storeIp: settings.storeIp,
    },
  });

  app.route<{ Params: { slug: string } }>({
    method: ['GET', 'HEAD'],
    url: '/:slug',
    // HEAD goes through this handler too (it is a click, flagged non-human),
    // not through Fastify's automatic GET-mirroring route.
    exposeHeadRoute: false,
    handler,
  });

  // What a visitor of a short domain sees at an address that is no link: the
  // bare root, or any path the router has no route for (`/a/b`).
  // /api/... keeps the API's JSON 404 (its own handler).
  const elsewhere = (root: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    let domain;
    try {
      domain = lookup.peekHost(request.host);
      if (domain === undefined) domain = await lookup.loadHost(request.host);
    } catch {
      return sendPage(reply, PAGES.unavailable);
    }
    // A branded domain sends them where its owner said unknown addresses go;
    // the default domain's root shows a tiny landing page.
    if (domain !== null && domain.fallbackUrl !== null) return sendRedirect(reply, 302, domain.fallbackUrl);
    return sendPage(reply, root && domain === null ? PAGES.landing : PAGES.notFound);
  };
  app.route({ method: ['GET', 'HEAD'], url: '/', exposeHeadRoute: false, handler: elsewhere(true) });
  app.setNotFoundHandler(elsewhere(false));

  return { drain: () => recorder.drain() };
}
