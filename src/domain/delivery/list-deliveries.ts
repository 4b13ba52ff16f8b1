import type { Page } from '../ports.ts';
import { validationError } from '../shared/errors.ts';
import type { DeliveryDeps } from './delivery-deps.ts';
import type { Delivery, DeliveryFilter } from './ports.ts';
import { DELIVERY_STATUSES } from './ports.ts';

export interface DeliveryQuery extends DeliveryFilter {
  cursor?: string;
  /** 1-100; default 50. */
  limit?: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** The delivery log, newest first, filtered by endpoint, event type, event, status and time range. */
export async function listDeliveries(deps: Pick<DeliveryDeps, 'storage'>, workspaceId: string, query: DeliveryQuery): Promise<Page<Delivery>> {
  const problems = [];
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) problems.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
  if (query.status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(query.status)) {
    problems.push({ field: 'status', message: `must be one of ${DELIVERY_STATUSES.join(', ')}` });
  }
  for (const field of ['since', 'until'] as const) {
    const v = query[field];
    if (v !== undefined && Number.isNaN(Date.parse(v))) problems.push({ field, message: 'must be an ISO 8601 date-time' });
  }
  if (problems.length > 0) throw validationError(problems);
  const { cursor, limit: _limit, ...filter } = query;
  return deps.storage.deliveries.list(workspaceId, filter, cursor === undefined ? { limit } : { cursor, limit });
}
