import { AppError } from '../shared/errors.ts';
import type { CustomDomain } from './custom-domain.ts';
import type { DomainDeps } from './domain-deps.ts';
import { getDomain } from './list-domains.ts';

/**
 * Deletes a custom domain that no link uses. Deleting one with links would
 * leave them unreachable, silently breaking every printed QR code and sent
 * email that carries them, so the caller must delete or move them first.
 */
export async function deleteDomain(deps: DomainDeps, workspaceId: string, id: string): Promise<CustomDomain> {
  const domain = await deps.storage.transaction(async (tx) => {
    const found = await getDomain(tx, workspaceId, id);
    const links = await tx.links.list(workspaceId, { domain: found.hostname }, { limit: 1 });
    if (links.items.length > 0) {
      throw new AppError('domain_in_use', `Domain ${found.hostname} still has links; delete or move them first`, { hostname: found.hostname });
    }
    await tx.domains.delete(workspaceId, id);
    return found;
  });
  await deps.storage.invalidate({ kind: 'domain', hostname: domain.hostname });
  return domain;
}
