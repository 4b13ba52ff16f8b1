import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import type { RemoteInfo } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Answer, Question } from 'dns-packet';

// A real authoritative DNS server on loopback UDP for tests: custom-domain
// verification is exercised through node's resolver (c-ares) over the wire,
// not against a stub. Point a resolver at it with
// `createDnsResolver([server.address])`.
//
// It answers only what it was given:
// - a name with records of the asked type: those records (NOERROR);
// - a name with a CNAME, asked for another type: the CNAME, then the
//   target's records of that type if this server knows them (like a
//   recursive resolver following the alias);
// - a name it knows, without that type: NOERROR, no answers (ENODATA);
// - any other name: NXDOMAIN (ENOTFOUND).

export interface DnsRecords {
  /** name -> TXT values; a value longer than 255 bytes is sent split into chunks, as real servers do. */
  txt?: Record<string, string[]>;
  /** name -> target */
  cname?: Record<string, string>;
  /** name -> IPv4 addresses (for the outbound guard's tests: names that resolve to private ranges). */
  a?: Record<string, string[]>;
  /** name -> IPv6 addresses */
  aaaa?: Record<string, string[]>;
}

export interface DnsServer {
  /** "127.0.0.1:PORT", the form Resolver.setServers() takes. */
  address: string;
  /** Replaces every record; takes effect for the next query. */
  set(records: DnsRecords): void;
  close(): Promise<void>;
}

const TTL = 60;
const NXDOMAIN = 3;
/** Loop guard for CNAME chains. */
const MAX_CHAIN = 8;

function key(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

interface Zone {
  txt: Map<string, string[]>;
  cname: Map<string, string>;
  a: Map<string, string[]>;
  aaaa: Map<string, string[]>;
}

function index(records: DnsRecords): Zone {
  const byName = (r: Record<string, string[]> | undefined): Map<string, string[]> => new Map(Object.entries(r ?? {}).map(([name, values]) => [key(name), values]));
  return {
    txt: byName(records.txt),
    cname: new Map(Object.entries(records.cname ?? {}).map(([name, target]) => [key(name), key(target)])),
    a: byName(records.a),
    aaaa: byName(records.aaaa),
  };
}

function chunks(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out.length > 0 ? out : [Buffer.alloc(0)];
}

export async function startDnsServer(records: DnsRecords): Promise<DnsServer> {
  let zone = index(records);
  const socket = createSocket('udp4');

  function known(name: string): boolean {
    return zone.txt.has(name) || zone.cname.has(name) || zone.a.has(name) || zone.aaaa.has(name);
  }

  function answer(question: Question): { rcode: number; answers: Answer[] } {
    const answers: Answer[] = [];
    let name = key(question.name);
    if (!known(name)) return { rcode: NXDOMAIN, answers };
    for (let hop = 0; hop < MAX_CHAIN; hop++) {
      const target = zone.cname.get(name);
      if (question.type === 'CNAME') {
        if (target) answers.push({ type: 'CNAME', name, ttl: TTL, data: target });
        break;
      }
      if (target) {
        answers.push({ type: 'CNAME', name, ttl: TTL, data: target });
        name = target;
        continue;
      }
      if (question.type === 'TXT') {
        for (const value of zone.txt.get(name) ?? []) answers.push({ type: 'TXT', name, ttl: TTL, data: chunks(value) });
      }
      if (question.type === 'A') for (const ip of zone.a.get(name) ?? []) answers.push({ type: 'A', name, ttl: TTL, data: ip });
      if (question.type === 'AAAA') for (const ip of zone.aaaa.get(name) ?? []) answers.push({ type: 'AAAA', name, ttl: TTL, data: ip });
      break;
    }
    return { rcode: 0, answers };
  }

  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: drop it, as a real server would
    }
    const question = query.questions?.[0];
    const { rcode, answers } = question ? answer(question) : { rcode: 1 /* FORMERR */, answers: [] };
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      // rcode travels in the low 4 bits of the flags word.
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
      questions: query.questions ?? [],
      answers,
    });
    // A callback, so a client that went away cannot crash the test process.
    socket.send(response, peer.port, peer.address, () => undefined);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const { port } = socket.address();

  return {
    address: `127.0.0.1:${port}`,
    set(next) {
      zone = index(next);
    },
    close() {
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

// A `lookup` for the outbound guard that asks one DNS server (the loopback
// test server from dns-server.ts) for A and AAAA records over UDP, so tests
// can give names private, mixed or metadata answers without touching the
// machine's resolver. Names it does not know fail with ENOTFOUND, as
// getaddrinfo would.

export function resolverLookup(server: string): (hostname: string) => Promise<string[]> {
  return async (hostname) => {
    const r = new Resolver({ timeout: 1000, tries: 2 });
    r.setServers([server]);
    const [v4, v6] = await Promise.allSettled([r.resolve4(hostname), r.resolve6(hostname)]);
    const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (addresses.length > 0) return addresses;
    throw v4.status === 'rejected' ? v4.reason : new Error(`no address for ${hostname}`);
  };
}
