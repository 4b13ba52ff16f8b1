import { randomInt } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// Prefixed, time-sortable ids (`lnk_01JD...`): the prefix tells a human what an
// id is when it appears in a log or a support ticket; the ULID body sorts by
// creation time, so `ORDER BY id` is creation order and cursors are plain ids.
export const ID_PREFIXES = {
  workspace: 'ws',
  apiKey: 'key',
  link: 'lnk',
  click: 'clk',
  domain: 'dom',
  event: 'evt',
  endpoint: 'ep',
  delivery: 'dlv',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ulid = monotonicFactory();

export function newId(kind: IdKind, nowMs: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${ulid(nowMs).toLowerCase()}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string from the CSPRNG (no modulo bias: randomInt is uniform). */
export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}
