import { parseOrThrow } from '../links/link-input.ts';
import type { CustomDomain } from './custom-domain.ts';
import type { DomainDeps } from './domain-deps.ts';
import { updateDomainSchema } from './domain-input.ts';
import { getDomain } from './list-domains.ts';

/**
 * Changes what a domain owner may change: the fallback URL for unknown slugs.
 * The hostname is the domain's identity; to move, add a new domain.
 */
export async function updateDomain(deps: DomainDeps, workspaceId: string, id: string, body: unknown): Promise<CustomDomain> {
  const input = parseOrThrow(updateDomainSchema, body);
  const domain = await deps.storage.transaction(async (tx) => {
    const before = await getDomain(tx, workspaceId, id);
    const after: CustomDomain = { ...before };
    if (input.fallback_url !== undefined) after.fallbackUrl = input.fallback_url;
    await tx.domains.update(after);
    return after;
  });
  await deps.storage.invalidate({ kind: 'domain', hostname: domain.hostname });
  return domain;
}
