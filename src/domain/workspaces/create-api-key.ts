import { createHash, randomBytes } from 'node:crypto';
import type { Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { validationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ApiKey, Scope } from './workspace.ts';
import { DEFAULT_SCOPES, SCOPES } from './workspace.ts';

export const API_KEY_PREFIX = 'lh_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function parseScopes(raw: string[] | undefined): Scope[] {
  if (!raw || raw.length === 0) return [...DEFAULT_SCOPES];
  const list = raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const unknown = list.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw validationError([{ field: 'scopes', message: `unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}` }]);
  }
  return [...new Set(list)] as Scope[];
}

/**
 * A new key: `lh_` + 32 base64url characters (192 random bits). Only its
 * SHA-256 is stored — a fast hash is right here because the key itself is
 * high-entropy; slow hashes exist for guessable passwords.
 */
export async function createApiKey(storage: Storage, clock: Clock, workspaceId: string, name: string, scopes: Scope[]): Promise<{ key: string; record: ApiKey }> {
  if (name.trim() === '' || name.length > 100) throw validationError([{ field: 'name', message: 'must be 1-100 characters' }]);
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const record: ApiKey = {
    id: newId('apiKey', clock.now().getTime()),
    workspaceId,
    name: name.trim(),
    prefix: key.slice(0, 8),
    hash: hashApiKey(key),
    scopes,
    createdAt: clock.now().toISOString(),
    revokedAt: null,
  };
  await storage.transaction((tx) => tx.apiKeys.insert(record));
  return { key, record };
}
