import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import type { OutboundHttpClient } from '../../src/adapters/outbound/create-http-client.ts';
import { createOutboundGuard } from '../../src/adapters/outbound/create-outbound-guard.ts';

// A real HTTP receiver on 127.0.0.1 for outbound and destination tests: it
// records every request (method, path, headers, raw body) and answers with
// whatever the test's handler says. The default handler answers 200 "ok".

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type ReceiverHandler = (req: ReceivedRequest, res: ServerResponse) => void;

export interface HttpReceiver {
  /** "http://127.0.0.1:PORT" */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Replaces the handler for the next requests. */
  handle(handler: ReceiverHandler): void;
  close(): Promise<void>;
}

export function answer(status: number, body = '', headers: Record<string, string> = {}): ReceiverHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
}

export async function startReceiver(handler: ReceiverHandler = answer(200, 'ok')): Promise<HttpReceiver> {
  let current = handler;
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      current(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle(next) {
      current = next;
    },
    close() {
      // Keep-alive sockets (and handlers that never answer) must not hold the test open.
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The real guarded client, allowed to reach the tests' loopback receivers the
// way an operator would allow them: LINKHOOK_OUTBOUND_ALLOW=127.0.0.0/8.

export const LOOPBACK_ALLOW = ['127.0.0.0/8'];

export function loopbackHttp(allow: string[] = LOOPBACK_ALLOW, maxBodyBytes = 1024 * 1024): OutboundHttpClient {
  return createHttpClient({ guard: createOutboundGuard(allow), connectTimeoutMs: 5000, totalTimeoutMs: 5000, maxBodyBytes });
}
