import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { InvalidationKey } from '../../../domain/ports.ts';
import type { Db } from '../sql/database.ts';

// Cross-process cache invalidation over LISTEN/NOTIFY. Every process sharing
// the database NOTIFYs on one channel and LISTENs on a dedicated connection
// (LISTEN is per session, so it cannot live on a pooled connection).
//
// Exactly once in the notifying process: storage.invalidate() calls local
// listeners itself, and the notifier drops notifications that carry its own
// origin id. (pg also reports the sender's backend pid, but a pooled
// connection's pid is not ours to know, so the payload carries the origin.)

interface Payload {
  origin: string;
  key: InvalidationKey;
}

export interface PostgresNotifier {
  publish(key: InvalidationKey): Promise<void>;
  subscribe(deliver: (key: InvalidationKey) => void): void;
  close(): Promise<void>;
}

/** Channel per schema, so installations (and test schemas) sharing one database do not hear each other. */
export function channelName(schema: string | undefined): string {
  if (schema === undefined) return 'linkhook_invalidate';
  const name = `linkhook_invalidate_${schema}`;
  // Identifiers stop at 63 bytes; pg_notify() rejects longer channel names.
  return name.length <= 63 ? name : `linkhook_invalidate_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

/** Reconnect backoff: first retry after 100 ms, doubling to at most 5 s. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

export function createPostgresNotifier(db: Db, clientConfig: pg.ClientConfig, channel: string): PostgresNotifier {
  const origin = randomUUID();
  let deliver: ((key: InvalidationKey) => void) | undefined;
  let current: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let retryMs = RETRY_MIN_MS;
  let closed = false;

  const onNotification = (msg: pg.Notification): void => {
    if (msg.channel !== channel || msg.payload === undefined || !deliver) return;
    try {
      const payload = JSON.parse(msg.payload) as Payload;
      if (payload.origin !== origin) deliver(payload.key);
    } catch {
      // A malformed payload or a throwing listener must not take the listener connection down.
    }
  };

  const schedule = (): void => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  // Notifications sent while we are disconnected are lost; the redirect
  // cache's TTL bounds how long another process may serve a stale link.
  const connect = async (): Promise<void> => {
    const client = new pg.Client(clientConfig);
    current = client;
    client.on('notification', onNotification);
    client.on('error', () => {
      /* 'end' follows; reconnecting happens there */
    });
    client.on('end', () => {
      if (current !== client) return;
      current = undefined;
      schedule();
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      retryMs = RETRY_MIN_MS;
      if (closed) await client.end();
    } catch {
      if (current === client) current = undefined;
      client.end().catch(() => undefined);
      schedule();
    }
  };

  return {
    async publish(key) {
      const payload: Payload = { origin, key };
      await sql`select pg_notify(${channel}, ${JSON.stringify(payload)})`.execute(db);
    },
    subscribe(fn) {
      deliver = fn;
      if (!current && !timer && !closed) void connect();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
