import http from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import type { HttpClient } from '../../domain/delivery/destination.ts';
import { OutboundError } from '../../domain/delivery/destination.ts';
import type { OutboundGuard } from './create-outbound-guard.ts';

// The one outbound HTTP client (webhooks, Slack, Teams, PagerDuty, CRM,
// GitHub, Jira, health checks), behind the SSRF guard.
//
// Why node:http(s) and not undici: node's request options take a `lookup`
// function, which is exactly the hook we need to pin the connection to the
// address the guard checked, while `hostname` stays the original name so the
// Host header, SNI and certificate verification all use it. Node 20's global
// fetch cannot take a lookup, and undici would be a second HTTP stack (and
// dependency) for no gain: we need no streaming API, no HTTP/2, no redirects
// — and node:http never follows redirects by itself.
//
// Per request: resolve + check (guard), connect to that address only,
// bounded connect time, bounded total time (DNS to last body byte), response
// body read up to maxBodyBytes and then the socket is dropped — an endless
// body costs at most maxBodyBytes of memory.

export interface HttpClientOptions {
  guard: OutboundGuard;
  /** TCP connect (not TLS) must finish within this. */
  connectTimeoutMs: number;
  /** Whole request: DNS, connect, TLS, sending, headers and body. A request may ask for less or more. */
  totalTimeoutMs: number;
  /** Most response body bytes read; the rest is never read. */
  maxBodyBytes: number;
}

export interface OutboundHttpClient extends HttpClient {
  /** Drops idle keep-alive sockets (tests, shutdown). */
  close(): void;
}

/**
 * Keep-alive: at 1,000 deliveries/s to a few receivers a new TCP (+TLS)
 * handshake per delivery would dominate. Idle sockets are dropped after 4 s,
 * under node's and nginx's default 5 s server keep-alive, so we rarely write
 * onto a socket the receiver is closing.
 */
const FREE_SOCKET_TIMEOUT_MS = 4_000;
const MAX_SOCKETS_PER_HOST = 64;

// Node socket/TLS/parser errors -> the attempt log's error classes. The class
// is what an operator filters on ("which endpoints have TLS problems?"), and
// the message keeps node's code so nothing is lost.

/** OpenSSL verification failures node reports by code (subset; the /CERT/ test catches the rest). */
const TLS_CODES = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
]);

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

function codeOf(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function classifySocketError(err: unknown, host: string): OutboundError {
  if (err instanceof OutboundError) return err;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const detail = code && !message.includes(code) ? `${code}: ${message}` : message;
  if (code && (TLS_CODES.has(code) || /CERT|SSL|TLS/.test(code))) return new OutboundError('tls', `TLS with ${host} failed: ${detail}`);
  if (code && DNS_CODES.has(code)) return new OutboundError('dns', `DNS for ${host} failed: ${detail}`);
  if (code === 'ETIMEDOUT') return new OutboundError('timeout', `connection to ${host} timed out: ${detail}`);
  if (code?.startsWith('HPE_')) return new OutboundError('connect', `${host} sent an invalid HTTP response: ${detail}`);
  // ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH, EPIPE, "socket hang up"...
  return new OutboundError('connect', `connection to ${host} failed: ${detail}`);
}

function flattenHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A lookup that answers the checked address whatever name is asked: no second DNS query. */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return (_hostname, options, callback) => {
    // With autoSelectFamily (node 20's default) net asks for `all`.
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

export function createHttpClient(options: HttpClientOptions): OutboundHttpClient {
  const { guard, connectTimeoutMs, totalTimeoutMs, maxBodyBytes } = options;
  const agentOptions = { keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS, maxSockets: MAX_SOCKETS_PER_HOST };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  async function request(req: Parameters<HttpClient['request']>[0]): ReturnType<HttpClient['request']> {
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new OutboundError('config', `not a valid URL: ${req.url}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('config', `only http and https URLs are supported, not ${url.protocol}`);
    const limit = req.timeoutMs ?? totalTimeoutMs;
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');

    return new Promise((resolve, reject) => {
      let settled = false;
      let outgoing: ClientRequest | undefined;
      let connectTimer: NodeJS.Timeout | undefined;
      const totalTimer = setTimeout(() => fail(new OutboundError('timeout', `no complete answer from ${url.host} within ${limit} ms`)), limit);

      function cleanup(): void {
        settled = true;
        clearTimeout(totalTimer);
        clearTimeout(connectTimer);
      }
      function fail(err: OutboundError): void {
        if (settled) return;
        cleanup();
        outgoing?.destroy();
        reject(err);
      }

      function onResponse(res: IncomingMessage): void {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (): void => {
          if (settled) return;
          cleanup();
          resolve({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
            durationMs: Math.round(performance.now() - started),
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = maxBodyBytes - size;
          if (chunk.length < room) {
            chunks.push(chunk);
            size += chunk.length;
            return;
          }
          // Cap reached: keep what fits and hang up instead of draining the rest.
          chunks.push(chunk.subarray(0, room));
          size += room;
          finish();
          res.destroy();
        });
        res.on('end', finish);
        res.on('error', (err) => fail(classifySocketError(err, url.host)));
        res.on('aborted', () => fail(new OutboundError('connect', `${url.host} closed the connection mid-response`)));
      }

      function send(address: string): void {
        const body = req.body ?? '';
        const lib = url.protocol === 'https:' ? https : http;
        const headers: Record<string, string> = { ...req.headers };
        if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
        outgoing = lib.request({
          protocol: url.protocol,
          hostname,
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: req.method.toUpperCase(),
          headers,
          auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
          agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
          lookup: pinnedLookup(address),
          // SNI and certificate checks use the name the user configured, never the address.
          ...(url.protocol === 'https:' && isIP(hostname) === 0 ? { servername: hostname } : {}),
        });
        outgoing.on('socket', (socket) => {
          if (!socket.connecting) return; // a reused keep-alive socket
          connectTimer = setTimeout(() => fail(new OutboundError('timeout', `could not connect to ${url.host} within ${connectTimeoutMs} ms`)), connectTimeoutMs);
          socket.once('connect', () => clearTimeout(connectTimer));
        });
        outgoing.on('response', onResponse);
        outgoing.on('error', (err) => fail(classifySocketError(err, url.host)));
        outgoing.end(body);
      }

      guard.resolveAllowed(hostname).then(
        (address) => {
          if (!settled) send(address);
        },
        (err: unknown) => fail(err instanceof OutboundError ? err : new OutboundError('dns', `DNS lookup for ${hostname} failed: ${String(err)}`)),
      );
    });
  }

  return {
    request,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
