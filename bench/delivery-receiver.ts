// The webhook receivers of bench/delivery.ts, in their own process so their
// CPU (HTTP parsing, JSON, signature checks) is not charged to linkhook or to
// the client. One node:http server per endpoint, on 127.0.0.1, so every
// endpoint has its own origin and keep-alive pool, as distinct receivers do.
//
// Driven over IPC (child_process.fork):
//   parent → { type: 'start', count }            child → { type: 'ready', urls }
//   parent → { type: 'configure', secrets, silent } (per endpoint index)
//   parent → { type: 'count' }                   child → { type: 'count', received } (distinct deliveries so far)
//   parent → { type: 'collect' }                 child → { type: 'records', records, sig } and forgets them
//
// A silent receiver reads the request and never answers: the sender's own
// timeout (LINKHOOK_OUTBOUND_TIMEOUT_MS) is what ends it. Requests to /floor
// are the floor's plain signed POSTs: answered, counted, not recorded.
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One delivery as received: [endpoint index, webhook-id, body id, link id, event time ms, receipt time ms]. */
export type Receipt = [number, string, string, string, number, number];

export type ToReceiver = { type: 'start'; count: number } | { type: 'configure'; secrets: string[]; silent: boolean[] } | { type: 'count' } | { type: 'collect' };
export type FromReceiver =
  | { type: 'ready'; urls: string[] }
  | { type: 'count'; received: number }
  | { type: 'records'; records: Receipt[]; sig: { checked: number; failed: number; failures: string[] } };

/**
 * Every 10th delivery of an endpoint (and its first) is verified with the
 * official standardwebhooks package: its pure-JS HMAC costs ~100 µs, and
 * at 1,000+ deliveries/s checking all of them would make the receivers, not
 * linkhook, the thing measured. Sampling still catches a wrong key, body or
 * header format at once, since those break every signature, not one in ten.
 */
const VERIFY_EVERY = 10;

const servers: Server[] = [];
let verifiers: (Webhook | undefined)[] = [];
let silent: boolean[] = [];
let records: Receipt[] = [];
/** Distinct (endpoint, webhook-id) pairs: what "delivered" means; a retry of a received one is not progress. */
const distinct = new Set<string>();
const perEndpoint: number[] = [];
const sig = { checked: 0, failed: 0, failures: [] as string[] };
const hanging = new Set<ServerResponse>();

function onDelivery(index: number, headers: Record<string, string | string[] | undefined>, body: string): void {
  const at = Date.now();
  const n = (perEndpoint[index] = (perEndpoint[index] ?? 0) + 1);
  const webhookId = String(headers['webhook-id'] ?? '');
  distinct.add(`${index} ${webhookId}`);
  let event: { id?: string; timestamp?: string; data?: { link?: { id?: string } } } = {};
  try {
    event = JSON.parse(body) as typeof event;
  } catch {
    /* recorded with empty ids: the parent counts it as a bad delivery */
  }
  records.push([index, webhookId, event.id ?? '', event.data?.link?.id ?? '', Date.parse(event.timestamp ?? ''), at]);
  const fail = (why: string): void => {
    sig.failed++;
    if (sig.failures.length < 5) sig.failures.push(`endpoint ${index} ${webhookId}: ${why}`);
  };
  const signature = headers['webhook-signature'];
  // Unsampled deliveries must still carry a signature header.
  if (typeof signature !== 'string' || !signature.startsWith('v1,')) return fail('no v1 webhook-signature header');
  const verifier = verifiers[index];
  if (verifier && n % VERIFY_EVERY === 1) {
    sig.checked++;
    try {
      verifier.verify(body, { 'webhook-id': webhookId, 'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''), 'webhook-signature': signature });
    } catch (err) {
      fail(String(err));
    }
  }
}

async function start(count: number): Promise<string[]> {
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/floor') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          return;
        }
        if (silent[i]) {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        onDelivery(i, req.headers, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    // Node's default 5 s keep-alive; linkhook drops idle sockets after 4 s, under it.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return urls;
}

const send = (m: FromReceiver): void => void process.send?.(m);

process.on('message', (m: ToReceiver) => {
  switch (m.type) {
    case 'start':
      void start(m.count).then((urls) => send({ type: 'ready', urls }));
      break;
    case 'configure':
      verifiers = m.secrets.map((s) => (s === '' ? undefined : new Webhook(s)));
      silent = m.silent;
      break;
    case 'count':
      send({ type: 'count', received: distinct.size });
      break;
    case 'collect':
      send({ type: 'records', records, sig: { ...sig, failures: [...sig.failures] } });
      records = [];
      sig.checked = 0;
      sig.failed = 0;
      sig.failures = [];
      break;
  }
});

// The parent going away (Ctrl-C, crash) takes the receivers with it.
process.on('disconnect', () => {
  for (const s of servers) s.closeAllConnections();
  process.exit(0);
});
