import type { CustomDomain } from '../../../domain/domains/custom-domain.ts';
import type { DomainRepo } from '../../../domain/ports.ts';
import { AppError } from '../../../domain/shared/errors.ts';
import type { RepoContext } from './repo-context.ts';
import { domainFromRow, domainToRow } from './row-mapping.ts';

function domainTaken(d: CustomDomain): AppError {
  return new AppError('domain_taken', `Domain ${d.hostname} is already registered`, { domain: d.hostname });
}

export function createDomainRepo(ctx: RepoContext): DomainRepo {
  const { db, dialect } = ctx;
  return {
    async insert(domain) {
      // DO NOTHING rather than catch: keeps a PostgreSQL transaction usable (see link-repo.ts).
      const res = await db
        .insertInto('domains')
        .values(domainToRow(domain))
        .onConflict((oc) => oc.column('hostname').doNothing())
        .executeTakeFirst();
      if (res.numInsertedOrUpdatedRows === 0n) throw domainTaken(domain);
    },

    async update(domain) {
      const { id: _id, workspace_id: _ws, created_at: _created, ...row } = domainToRow(domain);
      try {
        await db.updateTable('domains').set(row).where('id', '=', domain.id).where('workspace_id', '=', domain.workspaceId).execute();
      } catch (err) {
        if (dialect.isUniqueViolation(err, 'domains_hostname')) throw domainTaken(domain);
        throw err;
      }
    },

    async delete(workspaceId, id) {
      const res = await db.deleteFrom('domains').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('domains').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && domainFromRow(row);
    },

    async getByHostname(hostname) {
      const row = await db.selectFrom('domains').selectAll().where('hostname', '=', hostname).executeTakeFirst();
      return row && domainFromRow(row);
    },

    async list(workspaceId) {
      const rows = await db.selectFrom('domains').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
      return rows.map(domainFromRow);
    },
  };
}
