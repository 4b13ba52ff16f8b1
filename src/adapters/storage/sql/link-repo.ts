import { sql } from 'kysely';
import type { Link } from '../../../domain/links/link.ts';
import type { LinkFilter, LinkRepo, Page, PageRequest } from '../../../domain/ports.ts';
import { AppError } from '../../../domain/shared/errors.ts';
import type { Db } from './database.ts';
import type { RepoContext } from './repo-context.ts';
import { atomic, decodeCursor, fetchSize, toPage } from './repo-context.ts';
import { domainKey, linkFromRow, linkToRow } from './row-mapping.ts';

function slugTaken(link: Pick<Link, 'domain' | 'slug'>): AppError {
  const where = link.domain ?? 'the default domain';
  return new AppError('slug_taken', `Slug ${link.slug} is already used on ${where}`, { slug: link.slug, domain: link.domain });
}

/** LIKE pattern for a literal substring: %, _ and the escape character itself are escaped. */
function containsPattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

async function insertTags(db: Db, link: Link): Promise<void> {
  const tags = [...new Set(link.tags)];
  if (tags.length === 0) return;
  await db
    .insertInto('link_tags')
    .values(tags.map((tag) => ({ link_id: link.id, workspace_id: link.workspaceId, tag })))
    .execute();
}

export function createLinkRepo(ctx: RepoContext): LinkRepo {
  const { db, dialect } = ctx;
  return {
    async insert(link) {
      await atomic(ctx, async (tx) => {
        // ON CONFLICT DO NOTHING instead of catching the unique violation: on
        // PostgreSQL an error aborts the caller's whole transaction, while an
        // empty insert leaves it usable; and no driver error can leak.
        const res = await tx
          .insertInto('links')
          .values(linkToRow(link, dialect))
          .onConflict((oc) => oc.columns(['domain_key', 'slug']).doNothing())
          .executeTakeFirst();
        if (res.numInsertedOrUpdatedRows === 0n) throw slugTaken(link);
        await insertTags(tx, link);
      });
    },

    async update(link) {
      const { id: _id, workspace_id: _ws, created_at: _created, ...row } = linkToRow(link, dialect);
      await atomic(ctx, async (tx) => {
        try {
          await tx.updateTable('links').set(row).where('id', '=', link.id).where('workspace_id', '=', link.workspaceId).execute();
        } catch (err) {
          // UPDATE has no ON CONFLICT; map the one violation callers can cause.
          if (dialect.isUniqueViolation(err, 'links_domain_slug')) throw slugTaken(link);
          throw err;
        }
        await tx.deleteFrom('link_tags').where('link_id', '=', link.id).execute();
        await insertTags(tx, link);
      });
    },

    async delete(workspaceId, id) {
      // link_tags rows go with it: ON DELETE CASCADE.
      const res = await db.deleteFrom('links').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async getById(workspaceId, id) {
      const row = await db.selectFrom('links').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
      return row && linkFromRow(row);
    },

    async findBySlug(domain, slug) {
      const row = await db.selectFrom('links').selectAll().where('domain_key', '=', domainKey(domain)).where('slug', '=', slug).executeTakeFirst();
      return row && linkFromRow(row);
    },

    async slugExists(domain, slug) {
      const row = await db.selectFrom('links').select('id').where('domain_key', '=', domainKey(domain)).where('slug', '=', slug).executeTakeFirst();
      return row !== undefined;
    },

    async list(workspaceId: string, filter: LinkFilter, page: PageRequest): Promise<Page<Link>> {
      let q = db.selectFrom('links').selectAll().where('workspace_id', '=', workspaceId);
      if (filter.tag !== undefined) {
        const tagged = db.selectFrom('link_tags').select('link_id').where('workspace_id', '=', workspaceId).where('tag', '=', filter.tag);
        q = q.where('id', 'in', tagged);
      }
      if (filter.campaign !== undefined) q = q.where('campaign', '=', filter.campaign);
      if (filter.domain !== undefined) q = q.where('domain_key', '=', domainKey(filter.domain));
      if (filter.search !== undefined && filter.search !== '') {
        // lower() on both sides: portable case-insensitivity (PostgreSQL LIKE is
        // case-sensitive, SQLite's only folds ASCII). ESCAPE names our escape char.
        const pattern = containsPattern(filter.search);
        const cols = ['slug', 'title', 'url', 'external_id'] as const;
        q = q.where((eb) => eb.or(cols.map((c) => eb(sql`lower(${sql.ref(c)})`, 'like', sql<string>`${pattern} escape '\\'`))));
      }
      if (page.cursor !== undefined) q = q.where('id', '<', decodeCursor(page.cursor));
      const rows = await q.orderBy('id', 'desc').limit(fetchSize(page)).execute();
      return toPage(rows, page, linkFromRow);
    },
  };
}
