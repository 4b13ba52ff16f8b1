import type { CustomDomain } from './custom-domain.ts';

// What a domain owner must publish in DNS, and how what we found compares.
// Both TXT and CNAME are offered: TXT works at a zone apex (where a CNAME is
// not allowed); CNAME is one record that also routes the traffic.

export const TXT_PREFIX = '_linkhook';
export const TXT_VALUE_PREFIX = 'linkhook-verify=';

export interface DnsRecord {
  type: 'TXT' | 'CNAME';
  name: string;
  value: string;
}

export function txtRecord(domain: Pick<CustomDomain, 'hostname' | 'verificationToken'>): DnsRecord {
  return { type: 'TXT', name: `${TXT_PREFIX}.${domain.hostname}`, value: `${TXT_VALUE_PREFIX}${domain.verificationToken}` };
}

export function cnameRecord(domain: Pick<CustomDomain, 'hostname'>, cnameTarget: string | undefined): DnsRecord | null {
  return cnameTarget ? { type: 'CNAME', name: domain.hostname, value: cnameTarget } : null;
}

/** One sentence a human can act on: which record(s) to add, then what to call. */
export function verificationInstructions(domain: Pick<CustomDomain, 'id' | 'hostname' | 'verificationToken'>, cnameTarget: string | undefined): string {
  const txt = txtRecord(domain);
  const cname = cnameRecord(domain, cnameTarget);
  const how = cname
    ? `Add a TXT record at ${txt.name} with the value "${txt.value}", or a CNAME record pointing ${cname.name} to ${cname.value}`
    : `Add a TXT record at ${txt.name} with the value "${txt.value}"`;
  return `${how}, then call POST /api/v1/domains/${domain.id}/verify. DNS changes can take a few minutes to be visible.`;
}

/** The answer to one DNS question: records, none, or a lookup that failed. */
export type Lookup = { ok: true; records: string[] } | { ok: false; reason: string };

// "No such name" and "no records of that type" are answers, not failures.
const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'NOTFOUND']);

export async function lookup(fn: () => Promise<string[]>): Promise<Lookup> {
  try {
    return { ok: true, records: await fn() };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && NO_RECORDS.has(code)) return { ok: true, records: [] };
    return { ok: false, reason: typeof code === 'string' ? code : err instanceof Error ? err.message : String(err) };
  }
}

const canonicalHost = (h: string): string => h.trim().toLowerCase().replace(/\.$/, '');
// TXT answers sometimes arrive with their quotes (copied from a zone file).
const canonicalTxt = (v: string): string => v.trim().replace(/^"(.*)"$/, '$1').trim();

export function txtMatches(found: string[], expected: DnsRecord): boolean {
  return found.some((v) => canonicalTxt(v) === expected.value);
}

export function cnameMatches(found: string[], expected: DnsRecord): boolean {
  return found.some((v) => canonicalHost(v) === canonicalHost(expected.value));
}

export function describeFound(found: Lookup, type: string): string {
  if (!found.ok) return `no answer, because the ${type} lookup failed (${found.reason})`;
  if (found.records.length === 0) return `no ${type} record`;
  const shown = found.records.slice(0, 5).map((r) => JSON.stringify(r));
  return `${type} ${found.records.length === 1 ? 'record' : 'records'} ${shown.join(', ')}${found.records.length > 5 ? ', ...' : ''}`;
}
