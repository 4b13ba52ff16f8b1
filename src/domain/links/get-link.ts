import type { LinkFilter, Page } from '../ports.ts';
import { notFound, validationError } from '../shared/errors.ts';
import type { LinkDeps } from './link-deps.ts';
import type { Link } from './link.ts';

export async function getLink(deps: LinkDeps, workspaceId: string, id: string): Promise<Link> {
  const link = await deps.storage.links.getById(workspaceId, id);
  if (!link) throw notFound('Link', id);
  return link;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw validationError([{ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  return n;
}

export async function listLinks(deps: LinkDeps, workspaceId: string, filter: LinkFilter, cursor: string | undefined, limit: number): Promise<Page<Link>> {
  return deps.storage.links.list(workspaceId, filter, cursor === undefined ? { limit } : { cursor, limit });
}
