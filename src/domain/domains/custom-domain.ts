export const DOMAIN_STATUSES = ['pending', 'verified', 'failed'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

/** A branded short domain (go.example.com) owned by one workspace. */
export interface CustomDomain {
  id: string;
  workspaceId: string;
  /** Lower-case ASCII (punycode) hostname, unique across the installation. */
  hostname: string;
  status: DomainStatus;
  /** Expected in a TXT record at `_linkhook.<hostname>` as `linkhook-verify=<token>`. */
  verificationToken: string;
  /** Where unknown slugs on this domain go instead of the 404 page. */
  fallbackUrl: string | null;
  /** Human-readable outcome of the last check: what was found, what was expected. */
  lastCheckMessage: string | null;
  lastCheckedAt: string | null;
  verifiedAt: string | null;
  createdAt: string;
}
