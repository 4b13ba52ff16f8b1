import type { ApiKeyRepo, WorkspaceRepo } from '../../../domain/ports.ts';
import type { RepoContext } from './repo-context.ts';
import { apiKeyFromRow, apiKeyToRow, workspaceFromRow, workspaceToRow } from './row-mapping.ts';

export function createWorkspaceRepo({ db }: RepoContext): WorkspaceRepo {
  return {
    async getBySlug(slug) {
      const row = await db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row && workspaceFromRow(row);
    },
    async getById(id) {
      const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
      return row && workspaceFromRow(row);
    },
    // A duplicate slug is a driver error on purpose: ensureWorkspace() catches
    // any failure and re-reads, which is how concurrent first starts agree.
    async insert(ws) {
      await db.insertInto('workspaces').values(workspaceToRow(ws)).execute();
    },
  };
}

export function createApiKeyRepo({ db }: RepoContext): ApiKeyRepo {
  return {
    async insert(key) {
      await db.insertInto('api_keys').values(apiKeyToRow(key)).execute();
    },
    async getByHash(hash) {
      const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && apiKeyFromRow(row);
    },
  };
}
