import type { CustomDomain } from '../../domain/domains/custom-domain.ts';
import { cnameRecord, txtRecord, verificationInstructions } from '../../domain/domains/domain-verification.ts';

/** A custom domain as the API shows it, with the DNS records that verify it. */
export function domainJson(domain: CustomDomain, cnameTarget: string | undefined): Record<string, unknown> {
  return {
    id: domain.id,
    hostname: domain.hostname,
    status: domain.status,
    fallback_url: domain.fallbackUrl,
    verification_token: domain.verificationToken,
    verification: {
      txt: txtRecord(domain),
      cname: cnameRecord(domain, cnameTarget),
    },
    instructions: domain.status === 'verified' ? null : verificationInstructions(domain, cnameTarget),
    last_check_message: domain.lastCheckMessage,
    last_checked_at: domain.lastCheckedAt,
    verified_at: domain.verifiedAt,
    created_at: domain.createdAt,
  };
}
