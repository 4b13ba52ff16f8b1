import type { Repos } from '../ports.ts';
import { notFound } from '../shared/errors.ts';
import type { CustomDomain } from './custom-domain.ts';
import type { DomainDeps } from './domain-deps.ts';

export async function getDomain(repos: Repos, workspaceId: string, id: string): Promise<CustomDomain> {
  const domain = await repos.domains.getById(workspaceId, id);
  if (!domain) throw notFound('Domain', id);
  return domain;
}

/** A workspace has a handful of domains, so the list is not paginated. */
export async function listDomains(deps: Pick<DomainDeps, 'storage'>, workspaceId: string): Promise<CustomDomain[]> {
  return deps.storage.domains.list(workspaceId);
}
