interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded LRU whose entries also expire `ttlMs` after they were loaded.
 * A Map iterates in insertion order, so re-inserting on a hit makes the first
 * key the least recently used one: eviction is O(1) with no linked list.
 *
 * The TTL counts from the load, not from the last hit: it bounds how stale an
 * entry can be in a process that missed an invalidation, however hot it is.
 * Size 0 or TTL 0 turns the cache off (every lookup goes to the database).
 */
export class LruCache<V> {
  private readonly map = new Map<string, Entry<V>>();
  private readonly enabled: boolean;

  constructor(
    private readonly maxSize: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = maxSize > 0 && ttlMs > 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** The cached value (which may itself be null: a cached "not found"), or undefined on a miss. */
  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    // Move to the most-recently-used end; the entry object is reused.
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    if (!this.enabled) return;
    const expiresAt = this.now() + this.ttlMs;
    this.map.delete(key);
    this.map.set(key, { value, expiresAt });
    if (this.map.size > this.maxSize) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Drops every entry whose key or value matches (rare: a custom domain changed). */
  deleteWhere(match: (key: string, value: V) => boolean): void {
    for (const [key, entry] of this.map) if (match(key, entry.value)) this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
