import type { Repos, Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { validationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Workspace } from './workspace.ts';
import { DEFAULT_WORKSPACE_SLUG } from './workspace.ts';

const WORKSPACE_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The workspace with this handle, created if it does not exist. Several
 * processes may start at once: if another wins the insert, we read theirs.
 */
export async function ensureWorkspace(storage: Storage, clock: Clock, slug: string = DEFAULT_WORKSPACE_SLUG): Promise<Workspace> {
  if (!WORKSPACE_SLUG.test(slug)) {
    throw validationError([{ field: 'workspace', message: 'must be 1-63 lower-case letters, digits and -' }]);
  }
  const existing = await storage.workspaces.getBySlug(slug);
  if (existing) return existing;
  const ws: Workspace = { id: newId('workspace', clock.now().getTime()), slug, name: slug, createdAt: clock.now().toISOString() };
  try {
    await storage.transaction((tx: Repos) => tx.workspaces.insert(ws));
    return ws;
  } catch (err) {
    const raced = await storage.workspaces.getBySlug(slug);
    if (raced) return raced;
    throw err;
  }
}
