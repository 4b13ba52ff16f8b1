import { newId } from '../shared/ids.ts';
import type { EventData, EventOf, EventType } from './catalogue.ts';

/**
 * A new event envelope. The id is time-sortable (`evt_` + ULID of `now`), so
 * listing events by id is listing them by time, and it is also the
 * `webhook-id` of every delivery of the event, stable across retries.
 */
export function newEvent<T extends EventType>(type: T, workspaceId: string, data: EventData<T>, now: Date): EventOf<T> {
  return {
    id: newId('event', now.getTime()),
    type,
    timestamp: now.toISOString(),
    workspace_id: workspaceId,
    data,
  };
}
