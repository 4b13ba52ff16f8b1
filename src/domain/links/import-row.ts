import { UTM_KEYS } from './link.ts';

// CSV import: one row of a spreadsheet → the body of a create-link request.
// Column names of common shortener exports are recognised, so a team can
// move its links over without editing the file: Bitly ("long_url",
// "custom_bitlinks", "title", "tags") and Dub ("url", "key", "domain",
// "tagNames"/"tags", "utm_source"...) as well as our own API field names.

const ALIASES: Record<string, string[]> = {
  url: ['url', 'destination', 'destination_url', 'long_url', 'longurl', 'target', 'original_url'],
  slug: ['slug', 'key', 'alias', 'short_code', 'shortcode', 'custom_bitlinks', 'back_half', 'keyword'],
  domain: ['domain', 'short_domain'],
  title: ['title', 'name'],
  tags: ['tags', 'tag', 'tagnames', 'tag_names', 'labels'],
  campaign: ['campaign'],
  redirect_type: ['redirect_type', 'redirect'],
  priority: ['priority'],
  owner: ['owner'],
  expires_at: ['expires_at', 'expiresat', 'expiry', 'expiration'],
  expired_url: ['expired_url', 'expiredurl'],
  external_id: ['external_id', 'externalid'],
  // The full short link of the old shortener (Bitly "Bitlink", Dub "shortLink"):
  // its path is the slug when there is no slug column, its host tells QA
  // which domain the link lived on.
  short_url: ['short_url', 'short_link', 'shortlink', 'bitlink', 'short_link_url'],
};

function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Which CSV column feeds which field; computed once per file from its header row. */
export function mapColumns(headers: string[]): Map<string, string> {
  const byNorm = new Map(headers.map((h) => [normaliseHeader(h), h]));
  const out = new Map<string, string>();
  for (const [field, names] of Object.entries(ALIASES)) {
    const hit = names.find((n) => byNorm.has(n));
    if (hit) out.set(field, byNorm.get(hit) as string);
  }
  for (const k of UTM_KEYS) {
    const h = byNorm.get(`utm_${k}`);
    if (h) out.set(`utm.${k}`, h);
  }
  return out;
}

function splitList(v: string): string[] {
  return v.split(/[,;|]/).map((t) => t.trim()).filter((t) => t !== '');
}

/** A create-link body from one CSV record; empty cells are left out. */
export function rowToLinkBody(record: Record<string, string>, columns: Map<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const utm: Record<string, string> = {};
  for (const [field, column] of columns) {
    const raw = record[column]?.trim();
    if (raw === undefined || raw === '') continue;
    if (field.startsWith('utm.')) utm[field.slice(4)] = raw;
    else if (field === 'tags') body.tags = splitList(raw);
    else if (field === 'redirect_type') body.redirect_type = Number(raw);
    else if (field === 'short_url') continue; // not a link field: see below
    else body[field] = raw;
  }
  const short = columns.has('short_url') ? record[columns.get('short_url') as string]?.trim() : undefined;
  if (body.slug === undefined && short) body.slug = short;
  // A Bitly export's "custom_bitlinks" holds whole short URLs (bit.ly/abc): keep the path.
  if (typeof body.slug === 'string' && body.slug.includes('/')) {
    body.slug = body.slug.split('/').filter((p) => p !== '').pop();
  }
  if (Object.keys(utm).length > 0) body.utm = utm;
  return body;
}

/**
 * The host a row's short link had in the old shortener ("bit.ly" for a
 * Bitly export's "bit.ly/abc"), from the domain column or the short link
 * itself; undefined when the row does not say. Import QA reports hosts
 * that are not this workspace's.
 */
export function rowDomainHint(record: Record<string, string>, columns: Map<string, string>): string | undefined {
  const cell = (field: string): string | undefined => {
    const column = columns.get(field);
    const v = column === undefined ? undefined : record[column]?.trim();
    return v === '' ? undefined : v;
  };
  const domain = cell('domain');
  if (domain) return domain.toLowerCase();
  for (const raw of [cell('short_url'), cell('slug')]) {
    if (!raw?.includes('/')) continue;
    const withScheme = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
    try {
      return new URL(withScheme).hostname.toLowerCase();
    } catch {
      // not a URL after all: no hint
    }
  }
  return undefined;
}
