import type { HttpClient } from '../delivery/destination.ts';
import type { EventData } from '../events/catalogue.ts';
import { IMPORT_FINDING_KINDS } from '../events/event-data-schemas.ts';
import { checkDestination } from '../links/check-destination.ts';
import { UTM_KEYS } from '../links/link.ts';
import type { Repos } from '../ports.ts';

// Quality checks on a CSV import BEFORE it is written: what a person moving
// thousands of links from another shortener wants to hear about while it is
// still cheap to fix. Nothing here refuses a row (bulk create does that);
// findings are advice, reported by the CLI, the API and import.completed.

export type ImportQa = EventData<'import.completed'>['import']['qa'];
export type ImportFinding = ImportQa['findings'][number];
export type FindingKind = ImportFinding['kind'];

export interface QaRow {
  /** Row number as a spreadsheet shows it (header = 1). */
  row: number;
  /** The create-link body the row became (import-row.ts). */
  body: Record<string, unknown>;
  /** The row's old short-link host (rowDomainHint), if any. */
  domainHint: string | undefined;
}

export interface QaOptions {
  repos: Pick<Repos, 'links' | 'domains'>;
  workspaceId: string;
  defaultHost: string;
  /** Given: destinations are requested (HEAD, through the SSRF guard) to find redirect chains. */
  http?: HttpClient;
  now: Date;
  /** Destinations checked for redirects at most: 200 × ~0.3 s at 8 in parallel is under 10 s. */
  maxRedirectChecks?: number;
}

/** Two or more redirects before the page: one (http → https) is normal, a chain is worth fixing. */
export const CHAIN_MIN_REDIRECTS = 2;
const CHECK_CONCURRENCY = 8;
const REQUIRED_UTM = ['source', 'medium', 'campaign'] as const;
/** Lower-case letters, digits and . _ - +: anything else splits analytics ("Email" vs "email") or breaks in URLs. */
const CLEAN_UTM = /^[a-z0-9._+-]+$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Destinations compare without scheme case, host case, fragment or a trailing slash. */
function destinationKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return `${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return url.trim();
  }
}

/** The row's UTM values: utm_* in its URL, overridden by utm_* columns. */
function utmOf(r: QaRow): { inUrl: Record<string, string>; columns: Record<string, string> } {
  const columns = (r.body.utm ?? {}) as Record<string, string>;
  const inUrl: Record<string, string> = {};
  try {
    const url = new URL(String(r.body.url));
    for (const k of UTM_KEYS) {
      const v = url.searchParams.get(`utm_${k}`);
      if (v !== null) inUrl[k] = v;
    }
  } catch {
    // a malformed URL is bulk create's to refuse
  }
  return { inUrl, columns };
}

/**
 * `tagged`: most rows of the file carry UTMs, so a row with none is more
 * likely an oversight than a deliberate untracked link.
 */
function utmFindings(r: QaRow, tagged: boolean): ImportFinding[] {
  const out: ImportFinding[] = [];
  const { inUrl, columns } = utmOf(r);
  const merged = { ...inUrl, ...columns };
  const isCampaign = str(r.body.campaign) !== undefined || Object.keys(merged).length > 0;
  if (!isCampaign && tagged) return [{ row: r.row, kind: 'missing_utm', message: 'no UTM parameters, unlike most rows of this file', value: null }];
  for (const [k, v] of Object.entries(merged)) {
    const problem =
      v.trim() === '' ? 'is empty' : !CLEAN_UTM.test(v) ? 'has upper-case letters, spaces or symbols' : inUrl[k] !== undefined && columns[k] !== undefined && inUrl[k] !== columns[k] ? `differs between the URL (${inUrl[k]}) and the utm_${k} column` : null;
    if (problem) out.push({ row: r.row, kind: 'malformed_utm', message: `utm_${k} ${problem}`, value: v });
  }
  const missing = REQUIRED_UTM.filter((k) => !str(merged[k]));
  if (isCampaign && missing.length > 0) out.push({ row: r.row, kind: 'missing_utm', message: `missing ${missing.map((k) => `utm_${k}`).join(', ')}`, value: null });
  return out;
}

export async function runImportQa(rows: readonly QaRow[], opts: QaOptions): Promise<ImportQa> {
  const findings: ImportFinding[] = [];
  const add = (f: ImportFinding) => findings.push(f);

  // Duplicates: every row of a group names the others.
  const byDestination = new Map<string, QaRow[]>();
  for (const r of rows) {
    const url = str(r.body.url);
    if (!url) continue;
    const key = destinationKey(url);
    byDestination.set(key, [...(byDestination.get(key) ?? []), r]);
  }
  for (const group of byDestination.values()) {
    if (group.length < 2) continue;
    for (const r of group) add({ row: r.row, kind: 'duplicate_destination', message: `same destination as row ${group.filter((o) => o !== r).map((o) => o.row).join(', ')}`, value: String(r.body.url) });
  }

  const withUtm = rows.filter((r) => {
    const { inUrl, columns } = utmOf(r);
    return Object.keys(inUrl).length + Object.keys(columns).length > 0;
  }).length;
  const tagged = withUtm * 2 >= rows.length;
  for (const r of rows) for (const f of utmFindings(r, tagged)) add(f);

  // Slugs and domains.
  const own = new Set([opts.defaultHost, ...(await opts.repos.domains.list(opts.workspaceId)).filter((d) => d.status === 'verified').map((d) => d.hostname)]);
  const seen = new Map<string, number>();
  for (const r of rows) {
    const hint = r.domainHint;
    if (hint && !own.has(hint)) add({ row: r.row, kind: 'foreign_domain', message: `${hint} is not a domain of this workspace`, value: hint });
    const slug = str(r.body.slug);
    if (!slug) {
      add({ row: r.row, kind: 'missing_slug', message: 'no slug: a random one will be generated', value: null });
      continue;
    }
    const explicit = str(r.body.domain)?.toLowerCase();
    const domain = explicit && explicit !== opts.defaultHost && own.has(explicit) ? explicit : null;
    const key = `${domain ?? ''}/${slug}`;
    const first = seen.get(key);
    if (first !== undefined) add({ row: r.row, kind: 'slug_collision', message: `slug ${slug} is also on row ${first}`, value: slug });
    else if (await opts.repos.links.slugExists(domain, slug)) add({ row: r.row, kind: 'slug_collision', message: `slug ${slug} is already taken${domain ? ` on ${domain}` : ''}`, value: slug });
    if (first === undefined) seen.set(key, r.row);
  }

  // Redirect chains: one check per distinct destination, bounded in number and parallelism.
  if (opts.http) {
    const http = opts.http;
    const targets = [...byDestination.values()].map((g) => g[0] as QaRow).slice(0, opts.maxRedirectChecks ?? 200);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < targets.length) {
        const r = targets[next++] as QaRow;
        const url = String(r.body.url);
        if (!/^https?:\/\//i.test(url)) continue;
        const check = await checkDestination(url, { http, timeoutMs: 5000, now: opts.now }).catch(() => undefined);
        const redirects = check ? check.chain.length - 1 : 0;
        if (check && (redirects >= CHAIN_MIN_REDIRECTS || check.errorClass === 'redirect_loop' || check.errorClass === 'too_many_hops')) {
          const end = check.errorClass ? check.errorClass.replace(/_/g, ' ') : `before ${check.finalUrl ?? '?'}`;
          add({ row: r.row, kind: 'redirect_chain', message: `redirects ${redirects} times ${end}`, value: url });
        }
      }
    };
    await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
  }

  findings.sort((a, b) => a.row - b.row || a.kind.localeCompare(b.kind));
  const counts = Object.fromEntries(IMPORT_FINDING_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length])) as ImportQa['counts'];
  return { redirects_checked: opts.http !== undefined, counts, findings, truncated: false };
}
