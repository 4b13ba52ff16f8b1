import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

const DAY_MS = 86_400_000;

// crypto.hash (Node >= 20.12) hashes in one native call without a Hash
// object: 0.6 µs against 1.5 µs for createHash on a 200-byte input, measured
// here. package.json allows Node 20.6, hence the fallback.
const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/**
 * Counts unique visitors without storing who they are: the hash of the
 * client IP and user agent under a salt that changes every UTC day.
 *
 * - The salt is an HMAC of the instance secret and the date, so every process
 *   sharing a database derives the same salt with no coordination, and nobody
 *   without the secret can brute-force the 2^32 IPv4 space back from a hash.
 * - A new salt every day means the same person is a different visitor on
 *   different days: unique counts are per day, long-term tracking is not
 *   possible (the trade Plausible and Fathom make).
 * - Truncated to 128 bits (32 hex chars): collisions stay negligible (birthday
 *   bound ~1.8e19 visitors) and the column is half the size of a full digest.
 */
export class VisitorHasher {
  private day = Number.NaN;
  private salt = '';

  constructor(private readonly secret: string) {
    if (secret === '') throw new Error('VisitorHasher needs a non-empty secret');
  }

  /** The salt of the UTC day containing `now` (recomputed once per day, not per click). */
  saltFor(now: Date): string {
    const day = Math.floor(now.getTime() / DAY_MS);
    if (day !== this.day) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.salt = createHmac('sha256', this.secret).update(`linkhook-visitor:${date}`).digest('hex');
      this.day = day;
    }
    return this.salt;
  }

  hash(ip: string, userAgent: string | null, now: Date): string {
    // NUL separates the fields so ("1.2.3.4", "5x") and ("1.2.3.45", "x")
    // differ. One input string rather than an update() per field: each native
    // call costs about as much as the hashing itself (4.2 µs -> 1.8 µs, here).
    return sha256Hex(`${this.saltFor(now)}\0${ip}\0${userAgent ?? ''}`).slice(0, 32);
  }
}
