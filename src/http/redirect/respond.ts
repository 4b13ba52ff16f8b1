import type { FastifyReply } from 'fastify';
import type { Page } from './pages.ts';

/**
 * 302 and 307 are "go there this time": every click must reach us to be
 * counted and a destination edit must apply at once, so no cache (browser,
 * proxy or CDN) may keep them. `private` also covers caches that ignore
 * no-store; `max-age=0` covers HTTP/1.0-era ones.
 */
const NO_STORE = 'private, no-store, max-age=0';

/**
 * 301 and 308 say "moved for good", and without a Cache-Control header
 * browsers cache them indefinitely (Chrome and Firefox keep them until the
 * cache is cleared): later clicks would never reach us and a destination edit
 * would never be seen by anyone who clicked once. 90 seconds (what Bitly
 * sends) keeps the permanent semantics search engines look at, lets a
 * double-click or back-and-forth be served from the browser, bounds the
 * staleness of an edit to a minute and a half, and `private` keeps shared
 * caches and CDNs from answering on our behalf.
 */
const PERMANENT = 'private, max-age=90';

export function cacheControlFor(status: number): string {
  return status === 301 || status === 308 ? PERMANENT : NO_STORE;
}

export function sendRedirect(reply: FastifyReply, status: number, location: string): FastifyReply {
  return reply
    .code(status)
    .header('location', location)
    .header('cache-control', cacheControlFor(status))
    .header('x-robots-tag', 'noindex')
    .send();
}

export function sendPage(reply: FastifyReply, page: Page): FastifyReply {
  return reply
    .code(page.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', NO_STORE)
    .header('x-robots-tag', 'noindex')
    .header('x-content-type-options', 'nosniff')
    // The pages load nothing and run nothing; only their inline style.
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .send(page.body);
}
