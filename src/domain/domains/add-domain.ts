import { parseOrThrow } from '../links/link-input.ts';
import { validationError } from '../shared/errors.ts';
import { newId, randomBase62 } from '../shared/ids.ts';
import type { CustomDomain } from './custom-domain.ts';
import type { DomainDeps } from './domain-deps.ts';
import { addDomainSchema, checkCustomHostname } from './domain-input.ts';

/** 32 base62 characters ≈ 190 bits: unguessable, and short enough to paste into a DNS panel. */
const TOKEN_LENGTH = 32;

/**
 * Registers a custom domain as `pending`. It serves no links until a DNS check
 * proves the workspace controls it (verify-domain.ts).
 */
export async function addDomain(deps: DomainDeps, workspaceId: string, body: unknown): Promise<CustomDomain> {
  const input = parseOrThrow(addDomainSchema, body);
  const host = checkCustomHostname(input.hostname, deps.defaultHost);
  if (!host.ok) throw validationError([host.problem]);
  const now = deps.clock.now();
  const domain: CustomDomain = {
    id: newId('domain', now.getTime()),
    workspaceId,
    hostname: host.hostname,
    status: 'pending',
    verificationToken: randomBase62(TOKEN_LENGTH),
    fallbackUrl: input.fallback_url ?? null,
    lastCheckMessage: null,
    lastCheckedAt: null,
    verifiedAt: null,
    createdAt: now.toISOString(),
  };
  // The repo throws domain_taken when the hostname exists in any workspace.
  await deps.storage.transaction((tx) => tx.domains.insert(domain));
  await deps.storage.invalidate({ kind: 'domain', hostname: domain.hostname });
  return domain;
}
