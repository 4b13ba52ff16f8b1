import type { Storage } from '../ports.ts';
import { notFound } from '../shared/errors.ts';
import type { EventEnvelope } from './envelope.ts';

/** One event of the workspace, as it was emitted (another workspace's id is not found). */
export async function getEvent(deps: { storage: Storage }, workspaceId: string, id: string): Promise<EventEnvelope> {
  const event = await deps.storage.events.getById(workspaceId, id);
  if (!event) throw notFound('Event', id);
  return event;
}
