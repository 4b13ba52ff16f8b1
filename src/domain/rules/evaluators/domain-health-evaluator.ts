import { OutboundError } from '../../delivery/destination.ts';
import type { CustomDomain } from '../../domains/custom-domain.ts';
import { checkDomainDns } from '../../domains/verify-domain.ts';
import type { DnsResolver, TlsProbe } from '../../ports.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';

// Trigger 8, domain health, for the workspace's VERIFIED custom domains (a
// pending one is not live yet; the verify flow tells its owner what to do).
// Two subjects per domain:
//
// - `<host>:dns`: the TXT / CNAME verification no longer holds — someone
//   changed the zone, and links on this domain are about to stop working (or
//   already have). Re-checked through the DnsResolver port exactly as
//   "Verify" does. A lookup that could not be made (timeout, SERVFAIL) is not
//   a finding: nothing was learned, so the observation stays quiet rather
//   than wake someone for a resolver hiccup.
// - `<host>:tls`: the certificate served for the domain expires within
//   `tls_days` (default 14: two weeks leaves time for a renewal that needs a
//   human, e.g. a DNS-01 challenge), or no TLS handshake was possible.
//
// Read-only: the domain's status is not demoted here (that would take its
// links down on a single observation); the alert tells a person to look.

export const DEFAULT_TLS_DAYS = 14;
const DAY_MS = 86_400_000;

export interface DomainHealthDeps {
  dns: DnsResolver;
  tls: TlsProbe;
  /** LINKHOOK_CNAME_TARGET: a CNAME to it also counts as pointing at linkhook. */
  cnameTarget: string | undefined;
  /** LINKHOOK_CUSTOM_DOMAIN_SCHEME: with `http`, custom domains serve no TLS and the certificate check is skipped. */
  customDomainScheme: string;
}

function inScope(domain: CustomDomain, ctx: EvaluationContext): boolean {
  const want = ctx.rule.scope.domain;
  return want === undefined || want === null || want === domain.hostname;
}

async function dnsObservation(deps: DomainHealthDeps, domain: CustomDomain): Promise<Observation> {
  const subject = `${domain.hostname}:dns`;
  const outcome = await checkDomainDns(deps, domain);
  const firing = !outcome.verified && !outcome.inconclusive;
  const summary = firing ? `${domain.hostname} no longer points at linkhook. ${outcome.message}` : `${domain.hostname}: ${outcome.message}`;
  return { subject, linkId: null, firing, value: null, threshold: null, summary, details: { domain: domain.hostname, message: outcome.message, inconclusive: outcome.inconclusive } };
}

async function tlsObservation(deps: DomainHealthDeps, domain: CustomDomain, now: Date, tlsDays: number): Promise<Observation> {
  const subject = `${domain.hostname}:tls`;
  if (deps.customDomainScheme !== 'https') {
    return { subject, linkId: null, firing: false, value: null, threshold: tlsDays, summary: `${domain.hostname} is served over http: no certificate to watch` };
  }
  try {
    const cert = await deps.tls.certificate(domain.hostname);
    const daysLeft = Math.floor((Date.parse(cert.validTo) - now.getTime()) / DAY_MS);
    const firing = daysLeft <= tlsDays;
    const when = daysLeft < 0 ? `expired ${-daysLeft} days ago` : `expires in ${daysLeft} days`;
    return {
      subject,
      linkId: null,
      firing,
      value: daysLeft,
      threshold: tlsDays,
      summary: `The TLS certificate of ${domain.hostname} ${when} (${cert.validTo})${firing ? `: renew it` : ''}`,
      details: { domain: domain.hostname, valid_to: cert.validTo, issuer: cert.issuer, subject: cert.subject, authorized: cert.authorized, authorization_error: cert.authorizationError },
    };
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    return {
      subject,
      linkId: null,
      firing: true,
      value: null,
      threshold: tlsDays,
      summary: `No TLS handshake with ${domain.hostname}: ${err.message}`,
      details: { domain: domain.hostname, error_class: err.errorClass, error: err.message },
    };
  }
}

export function createDomainHealthEvaluator(deps: DomainHealthDeps): Evaluator {
  return {
    type: 'domain_health',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const { trigger } = ctx.rule;
      if (trigger.type !== 'domain_health') throw new Error(`domain_health evaluator got a ${trigger.type} rule`);
      const tlsDays = trigger.tls_days ?? DEFAULT_TLS_DAYS;
      const domains = (await ctx.storage.domains.list(ctx.rule.workspaceId)).filter((d) => d.status === 'verified' && inScope(d, ctx));
      const out: Observation[] = [];
      for (const domain of domains) {
        out.push(await dnsObservation(deps, domain));
        out.push(await tlsObservation(deps, domain, ctx.now, tlsDays));
      }
      return out;
    },
  };
}
