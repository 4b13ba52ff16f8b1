import { emitEvents } from '../events/emit-event.ts';
import type { ActorPayload } from '../events/envelope.ts';
import { linkCreatedEvent } from '../events/link-events.ts';
import { AppError, validationError } from '../shared/errors.ts';
import { utmPolicyEvents } from './check-utm-policies.ts';
import { prepareLink } from './create-link.ts';
import type { LinkDeps } from './link-deps.ts';
import { eventContext } from './link-deps.ts';
import type { Link } from './link.ts';

export const MAX_BULK_LINKS = 1000;

export type BulkRowResult =
  | { index: number; ok: true; link: Link }
  | { index: number; ok: false; error: { code: string; message: string; details: Record<string, unknown> } };

function rowError(index: number, err: unknown): BulkRowResult {
  if (err instanceof AppError) return { index, ok: false, error: { code: err.code, message: err.message, details: err.details } };
  throw err;
}

/**
 * Creates up to 1,000 links. Each row succeeds or fails on its own, and a row
 * is never half-written: the link and its tags are one atomic write.
 *
 * Fast path: every valid row in one transaction (one commit instead of 1,000).
 * If that transaction loses a slug race with a concurrent writer, it rolls
 * back whole and we fall back to one transaction per row, so the rows that
 * can be written still are.
 *
 * Each created link gets its link.created event in the transaction that
 * writes it: one emitEvents call (one multi-row insert) on the fast path.
 */
export async function bulkCreateLinks(deps: LinkDeps, workspaceId: string, rows: unknown, actor?: ActorPayload): Promise<BulkRowResult[]> {
  if (!Array.isArray(rows)) throw validationError([{ field: 'links', message: 'must be an array of link objects' }]);
  if (rows.length === 0) throw validationError([{ field: 'links', message: 'must not be empty' }]);
  if (rows.length > MAX_BULK_LINKS) throw validationError([{ field: 'links', message: `at most ${MAX_BULK_LINKS} links per request` }]);

  const results: BulkRowResult[] = new Array<BulkRowResult>(rows.length);
  const ready: { index: number; link: Link }[] = [];
  const claimed = new Set<string>();
  for (const [index, row] of rows.entries()) {
    try {
      const link = await prepareLink(deps, deps.storage, workspaceId, row);
      const key = `${link.domain ?? ''}/${link.slug}`;
      if (claimed.has(key)) throw new AppError('slug_taken', `Slug ${link.slug} appears twice in this request`, { slug: link.slug });
      claimed.add(key);
      ready.push({ index, link });
    } catch (err) {
      results[index] = rowError(index, err);
    }
  }

  const createdEvent = (link: Link) => linkCreatedEvent(link, eventContext(deps, new Date(link.createdAt), actor));
  try {
    await deps.storage.transaction(async (tx) => {
      for (const { link } of ready) await tx.links.insert(link);
      const links = ready.map(({ link }) => link);
      await emitEvents(tx, [...links.map(createdEvent), ...(await utmPolicyEvents(tx, links, eventContext(deps, deps.clock.now(), actor)))]);
    });
    for (const { index, link } of ready) results[index] = { index, ok: true, link };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    for (const { index, link } of ready) {
      try {
        await deps.storage.transaction(async (tx) => {
          await tx.links.insert(link);
          await emitEvents(tx, [createdEvent(link), ...(await utmPolicyEvents(tx, [link], eventContext(deps, deps.clock.now(), actor)))]);
        });
        results[index] = { index, ok: true, link };
      } catch (rowErr) {
        results[index] = rowError(index, rowErr);
      }
    }
  }
  if (ready.length > 0) deps.signal?.notify();
  for (const { link } of ready) await deps.storage.invalidate({ kind: 'link', domain: link.domain, slug: link.slug });
  return results;
}
