import { forwardQuery, mergeUtm } from './destination-url.ts';
import type { Link } from './link.ts';

export type Resolution =
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'expired'; location: string | null }
  | { kind: 'disabled' };

/**
 * What a visit to `link` at `now` should get. Scheduled changes are applied
 * here, at read time, so a change takes effect exactly at its time whether or
 * not any background job has run.
 */
export function effectiveState(link: Link, now: Date): { url: string; disabled: boolean } {
  let url = link.url;
  let disabled = false;
  const t = now.getTime();
  // Sorted by time so the latest due change wins.
  const due = link.scheduledChanges.filter((c) => Date.parse(c.at) <= t).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const c of due) {
    if ('url' in c) url = c.url;
    else disabled = true;
  }
  return { url, disabled };
}

export function isExpired(link: Link, now: Date): boolean {
  return link.expiresAt !== null && Date.parse(link.expiresAt) <= now.getTime();
}

/** The destination a visitor is sent to, UTMs merged, before incoming query forwarding. */
export function destinationOf(link: Link, now: Date): string {
  return mergeUtm(effectiveState(link, now).url, link.utm);
}

export function resolveVisit(link: Link, now: Date, incomingQuery: URLSearchParams): Resolution {
  if (isExpired(link, now)) return { kind: 'expired', location: link.expiredUrl };
  const state = effectiveState(link, now);
  if (state.disabled) return { kind: 'disabled' };
  const location = forwardQuery(mergeUtm(state.url, link.utm), incomingQuery);
  return { kind: 'redirect', status: link.redirectType, location };
}
