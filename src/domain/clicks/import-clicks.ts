import { z } from 'zod';
import type { Link } from '../links/link.ts';
import { MAX_URL_LENGTH } from '../links/destination-url.ts';
import type { Storage, UserAgentInfo, UserAgentParser } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { newIdAt } from '../shared/ids.ts';
import { referrerDomainOf } from './build-click.ts';
import type { Click } from './click.ts';

// Click history import: NDJSON, one click per line, from another platform's
// export, so its history drives analytics, baselines and backtests from day
// one. Streamed line by line and written in batches: a 10-million-line file
// never sits in memory, and a bad line is reported, not fatal.
//
// Imported clicks are enriched like live ones (user agent -> browser, OS,
// device type, bot flag; test links -> test traffic; a line without a user
// agent is a human on an unknown device) and marked with
// visitor_hash 'imported': there is no IP to hash, and it is how an imported
// click is told from a live one. They emit no click events (history is not
// news) and are not deduplicated: importing a file twice imports it twice.

/** Clicks per insert: one transaction per 1,000 keeps a batch well under a second on SQLite and bounds memory. */
export const IMPORT_BATCH = 1000;
/** Rejected lines listed in the answer; `rejected_count` has them all. A file of 10 M bad lines must not make a 1 GB answer. */
export const MAX_REJECTED_LISTED = 1000;
/** A click line is ~300 bytes; 16 KiB is room for any real user agent and referrer, and stops a line that is a whole file. */
export const MAX_LINE_LENGTH = 16 * 1024;
/** Clocks of exporters and ours disagree by seconds, not by more than 5 minutes. */
const FUTURE_SLACK_MS = 5 * 60 * 1000;
/** As build-click.ts: browsers send 100-300 characters. */
const MAX_USER_AGENT = 1024;

export const IMPORTED_VISITOR_HASH = 'imported';

const UNKNOWN_AGENT: UserAgentInfo = { browser: null, browserVersion: null, os: null, deviceType: 'unknown', isBot: false, botReason: null };

const lineSchema = z
  .object({
    link_id: z.string().min(1).max(100).optional(),
    slug: z.string().min(1).max(100).optional(),
    /** Custom-domain hostname for `slug`; the default domain when absent. */
    domain: z.string().min(1).max(253).nullable().optional(),
    ts: z.string().datetime({ offset: true }),
    user_agent: z.string().nullable().optional(),
    referrer: z.string().max(MAX_URL_LENGTH).nullable().optional(),
    country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE').nullable().optional(),
    qr: z.boolean().optional(),
  })
  .strict();

export interface ImportClicksDeps {
  storage: Storage;
  ua: UserAgentParser;
  clock: Clock;
}

export interface ImportResult {
  imported: number;
  rejected: { line: number; error: string }[];
  rejected_count: number;
}

function problem(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Imports the lines (1-based numbering, blank lines skipped but counted) into the workspace. */
export async function importClicks(deps: ImportClicksDeps, workspaceId: string, lines: AsyncIterable<string>): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, rejected: [], rejected_count: 0 };
  const links = new Map<string, Link | null>();
  let batch: Click[] = [];
  const reject = (line: number, error: string): void => {
    result.rejected_count++;
    if (result.rejected.length < MAX_REJECTED_LISTED) result.rejected.push({ line, error });
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await deps.storage.clicks.insertMany(batch);
    result.imported += batch.length;
    batch = [];
  };
  const linkOf = async (key: string, find: () => Promise<Link | undefined>): Promise<Link | null> => {
    if (!links.has(key)) {
      const found = await find();
      links.set(key, found && found.workspaceId === workspaceId ? found : null);
    }
    return links.get(key) ?? null;
  };

  let n = 0;
  for await (const raw of lines) {
    n++;
    const text = raw.trim();
    if (text === '') continue;
    if (text.length > MAX_LINE_LENGTH) {
      reject(n, `line is longer than ${MAX_LINE_LENGTH} characters`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      reject(n, 'not valid JSON');
      continue;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      reject(n, problem(parsed.error));
      continue;
    }
    const c = parsed.data;
    if ((c.link_id === undefined) === (c.slug === undefined)) {
      reject(n, 'give exactly one of link_id or slug');
      continue;
    }
    const at = Date.parse(c.ts);
    if (at > deps.clock.now().getTime() + FUTURE_SLACK_MS) {
      reject(n, 'ts: is in the future');
      continue;
    }
    const domain = c.domain?.toLowerCase() ?? null;
    const link =
      c.link_id !== undefined
        ? await linkOf(`id:${c.link_id}`, () => deps.storage.links.getById(workspaceId, c.link_id as string))
        : await linkOf(`slug:${domain ?? ''}/${c.slug}`, () => deps.storage.links.findBySlug(domain, c.slug as string));
    if (!link) {
      reject(n, c.link_id !== undefined ? `link_id: no link ${c.link_id} in this workspace` : `slug: no link ${domain ?? ''}/${c.slug} in this workspace`);
      continue;
    }
    batch.push(toClick(link, c, at, deps.ua));
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  await flush();
  // History lands behind the analytics rollups' cursor (its ids carry the
  // clicks' own times, so they sort among their day's clicks): the fold,
  // which tails the log by id, would never see it. Rewinding makes the
  // rollup worker fold the whole log again in the background (~40,000
  // clicks/s here); queries read raw clicks until it has caught up, so
  // answers are right throughout. An import of history is a one-off
  // migration, so a rebuild per import is the simple, exact choice.
  if (result.imported > 0) await deps.storage.analytics.resetRollups();
  return result;
}

function toClick(link: Link, c: z.infer<typeof lineSchema>, at: number, parser: UserAgentParser): Click {
  const userAgent = c.user_agent ? c.user_agent.slice(0, MAX_USER_AGENT) : null;
  const referrer = c.referrer ? c.referrer : null;
  // A live visit without a user agent is a bot (every browser sends one); an
  // export without the field only says the other platform did not keep it.
  const ua = userAgent === null ? UNKNOWN_AGENT : parser.parse(userAgent);
  return {
    id: newIdAt('click', at),
    workspaceId: link.workspaceId,
    linkId: link.id,
    ts: new Date(at).toISOString(),
    domain: link.domain,
    slug: link.slug,
    method: 'GET',
    referrer,
    referrerDomain: referrer === null ? null : referrerDomainOf(referrer),
    userAgent,
    browser: ua.browser,
    browserVersion: ua.browserVersion,
    os: ua.os,
    deviceType: ua.deviceType,
    isBot: ua.isBot,
    botReason: ua.isBot ? ua.botReason : null,
    country: c.country ? c.country.toUpperCase() : null,
    region: null,
    city: null,
    isQr: c.qr ?? false,
    isTest: link.isTest,
    visitorHash: IMPORTED_VISITOR_HASH,
    ip: null,
    utm: link.utm,
  };
}
