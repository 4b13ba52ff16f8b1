export interface Workspace {
  id: string;
  /** Human handle, unique: `default`, `marketing`, ... */
  slug: string;
  name: string;
  createdAt: string;
}

export const DEFAULT_WORKSPACE_SLUG = 'default';

export const SCOPES = [
  'links:read',
  'links:write',
  'analytics:read',
  'domains:read',
  'domains:write',
  'endpoints:read',
  'endpoints:write',
  'deliveries:read',
  'deliveries:write',
  'rules:read',
  'rules:write',
  'alerts:read',
  'alerts:write',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Everything but admin: what `keys create` grants when no scope is named. */
export const DEFAULT_SCOPES: Scope[] = SCOPES.filter((s) => s !== 'admin');

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  /** The first characters of the key, shown in listings so a human can tell keys apart. */
  prefix: string;
  /** SHA-256 hex of the whole key; the key itself is never stored. */
  hash: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}

export function hasScope(key: Pick<ApiKey, 'scopes'>, needed: Scope): boolean {
  return key.scopes.includes('admin') || key.scopes.includes(needed);
}
