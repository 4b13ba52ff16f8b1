import { z } from 'zod';
import type { DeliveryQuery } from '../../domain/delivery/list-deliveries.ts';
import { DELIVERY_STATUSES } from '../../domain/delivery/ports.ts';
import { isEventType } from '../../domain/events/catalogue.ts';
import { zodProblems } from '../../domain/links/link-input.ts';
import { validationError } from '../../domain/shared/errors.ts';

// Query parsing for GET /deliveries. Unknown parameters are refused (422)
// like everywhere in the API: `?endpoint=` silently listing everything would
// hide the typo.

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{1,40}$`), `must be an id starting with ${prefix}_`);
const isoDate = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' });

const schema = z
  .object({
    endpoint_id: id('ep').optional(),
    event_id: id('evt').optional(),
    event_type: z.string().refine(isEventType, 'is not an event type of the catalogue').optional(),
    status: z.enum(DELIVERY_STATUSES).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    cursor: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be the next_cursor of a previous page').optional(),
    limit: z.string().regex(/^\d{1,3}$/, 'must be an integer from 1 to 100').optional(),
  })
  .strict();

export function parseDeliveryQuery(query: unknown): DeliveryQuery {
  const r = schema.safeParse(query ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  const q = r.data;
  const out: DeliveryQuery = {};
  if (q.endpoint_id !== undefined) out.endpointId = q.endpoint_id;
  if (q.event_id !== undefined) out.eventId = q.event_id;
  if (q.event_type !== undefined) out.eventType = q.event_type;
  if (q.status !== undefined) out.status = q.status;
  if (q.since !== undefined) out.since = new Date(q.since).toISOString();
  if (q.until !== undefined) out.until = new Date(q.until).toISOString();
  if (q.cursor !== undefined) out.cursor = q.cursor;
  if (q.limit !== undefined) out.limit = Number(q.limit);
  return out;
}
