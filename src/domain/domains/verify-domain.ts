import type { CustomDomain } from './custom-domain.ts';
import type { DomainDeps } from './domain-deps.ts';
import { cnameMatches, cnameRecord, describeFound, lookup, txtMatches, txtRecord } from './domain-verification.ts';
import { getDomain } from './list-domains.ts';

interface CheckOutcome {
  verified: boolean;
  /** True when DNS could not be asked (timeout, SERVFAIL): nothing was learned. */
  inconclusive: boolean;
  message: string;
}

/** Asks DNS for the verification records and says, in words, what it found against what it expected. */
export async function checkDomainDns(deps: Pick<DomainDeps, 'dns' | 'cnameTarget'>, domain: CustomDomain): Promise<CheckOutcome> {
  const txt = txtRecord(domain);
  const cname = cnameRecord(domain, deps.cnameTarget);
  const [txtFound, cnameFound] = await Promise.all([
    lookup(() => deps.dns.txt(txt.name)),
    cname ? lookup(() => deps.dns.cname(cname.name)) : Promise.resolve(null),
  ]);
  if (txtFound.ok && txtMatches(txtFound.records, txt)) {
    return { verified: true, inconclusive: false, message: `Verified: found TXT record "${txt.value}" at ${txt.name}.` };
  }
  if (cname && cnameFound?.ok && cnameMatches(cnameFound.records, cname)) {
    return { verified: true, inconclusive: false, message: `Verified: ${cname.name} is a CNAME of ${cname.value}.` };
  }
  const expected = [`a TXT record at ${txt.name} with the value "${txt.value}"`];
  const found = [`${describeFound(txtFound, 'TXT')} at ${txt.name}`];
  if (cname && cnameFound) {
    expected.push(`a CNAME record pointing ${cname.name} to ${cname.value}`);
    found.push(`${describeFound(cnameFound, 'CNAME')} at ${cname.name}`);
  }
  const inconclusive = !txtFound.ok && (cnameFound === null || !cnameFound.ok);
  return { verified: false, inconclusive, message: `Not verified: expected ${expected.join(' or ')}; found ${found.join(' and ')}.` };
}

/**
 * Checks DNS now and records the outcome on the domain: verified, or failed
 * with what was found. A check that could not reach DNS at all does not demote
 * a domain that was verified before: a resolver hiccup must not take live
 * links down.
 */
export async function verifyDomain(deps: DomainDeps, workspaceId: string, id: string): Promise<CustomDomain> {
  const before = await getDomain(deps.storage, workspaceId, id);
  // DNS is asked outside the transaction: a slow resolver must not hold a write lock.
  const outcome = await checkDomainDns(deps, before);
  const now = deps.clock.now().toISOString();
  const domain = await deps.storage.transaction(async (tx) => {
    const current = await getDomain(tx, workspaceId, id);
    const keepVerified = outcome.inconclusive && current.status === 'verified';
    const after: CustomDomain = {
      ...current,
      status: outcome.verified || keepVerified ? 'verified' : 'failed',
      lastCheckMessage: outcome.message,
      lastCheckedAt: now,
      verifiedAt: outcome.verified ? (current.status === 'verified' && current.verifiedAt ? current.verifiedAt : now) : keepVerified ? current.verifiedAt : null,
    };
    await tx.domains.update(after);
    return after;
  });
  await deps.storage.invalidate({ kind: 'domain', hostname: domain.hostname });
  return domain;
}
