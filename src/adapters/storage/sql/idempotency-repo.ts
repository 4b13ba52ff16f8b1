import type { DestinationStateRepo, IdempotencyRepo } from '../../../domain/delivery/ports.ts';
import type { RepoContext } from './repo-context.ts';
import { atomic } from './repo-context.ts';
import { idempotencyFromRow, idempotencyToRow } from './delivery-rows.ts';
import { toMs } from './row-mapping.ts';

export function createIdempotencyRepo(ctx: RepoContext): IdempotencyRepo {
  const { db } = ctx;
  return {
    async get(workspaceId, key, now) {
      const row = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('key', '=', key)
        .where('expires_at', '>', toMs(now))
        .executeTakeFirst();
      return row && idempotencyFromRow(row);
    },

    async insert(record) {
      const row = idempotencyToRow(record);
      return atomic(ctx, async (tx) => {
        // An expired record of the same key makes way; a live one wins (DO NOTHING keeps a PostgreSQL transaction usable).
        await tx.deleteFrom('idempotency_keys').where('workspace_id', '=', row.workspace_id).where('key', '=', row.key).where('expires_at', '<=', row.created_at).execute();
        const res = await tx
          .insertInto('idempotency_keys')
          .values(row)
          .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
          .executeTakeFirst();
        return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
      });
    },

    async complete(record) {
      const row = idempotencyToRow(record);
      const res = await db
        .updateTable('idempotency_keys')
        .set({ response_status: row.response_status, response_body: row.response_body, expires_at: row.expires_at })
        .where('workspace_id', '=', row.workspace_id)
        .where('key', '=', row.key)
        .where('fingerprint', '=', row.fingerprint)
        .where('response_status', '=', 0)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },

    async release(workspaceId, key, fingerprint) {
      await db
        .deleteFrom('idempotency_keys')
        .where('workspace_id', '=', workspaceId)
        .where('key', '=', key)
        .where('fingerprint', '=', fingerprint)
        .where('response_status', '=', 0)
        .execute();
    },

    async deleteExpired(now) {
      const res = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', toMs(now)).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}

export function createDestinationStateRepo({ db }: RepoContext): DestinationStateRepo {
  return {
    async get(endpointId, key) {
      const row = await db.selectFrom('destination_state').select('value').where('endpoint_id', '=', endpointId).where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async set(endpointId, key, value) {
      await db
        .insertInto('destination_state')
        .values({ endpoint_id: endpointId, key, value })
        .onConflict((oc) => oc.columns(['endpoint_id', 'key']).doUpdateSet({ value }))
        .execute();
    },
  };
}
