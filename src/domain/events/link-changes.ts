import { linkApiFields } from '../links/link-api-fields.ts';
import type { Link } from '../links/link.ts';
import type { LinkChangeField } from './event-data-schemas.ts';

// What a link change changed, by API field name (snake_case), with the value
// before and after: the `changes` of link.updated. Values are in their API
// form, so a receiver can compare them with what GET /links/{id} shows.

export type LinkChanges = Partial<Record<LinkChangeField, { before: unknown; after: unknown }>>;

/** The API value of each changeable field. */
function apiFields(link: Link): Record<LinkChangeField, unknown> {
  return linkApiFields(link);
}

/** JSON with object keys sorted: `{a, b}` and `{b, a}` are the same value. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}

/**
 * Tags are a set: storage may hand them back in another order, and
 * re-sending the same tags in a new order is not a change anybody made.
 */
function sameValue(field: LinkChangeField, a: unknown, b: unknown): boolean {
  if (field === 'tags' && Array.isArray(a) && Array.isArray(b)) {
    return canonical([...(a as string[])].sort()) === canonical([...(b as string[])].sort());
  }
  return canonical(a) === canonical(b);
}

/** The fields that differ between two versions of a link; empty when nothing did. */
export function diffLinks(before: Link, after: Link): LinkChanges {
  const a = apiFields(before);
  const b = apiFields(after);
  const changes: LinkChanges = {};
  for (const field of Object.keys(a) as LinkChangeField[]) {
    if (!sameValue(field, a[field], b[field])) changes[field] = { before: a[field], after: b[field] };
  }
  return changes;
}
