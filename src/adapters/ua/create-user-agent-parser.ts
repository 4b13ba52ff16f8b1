import UAParser from 'ua-parser-js';
import type { DeviceType } from '../../domain/clicks/click.ts';
import type { UserAgentInfo, UserAgentParser } from '../../domain/ports.ts';
import { classifyBot } from './classify-bot.ts';

// ua-parser-js is pinned to v1 on purpose: v1 is MIT, v2 is AGPL-3.0. Do not
// upgrade it. isbot (Unlicense) decides what is a crawler.
//
// This runs on every redirect, and real traffic repeats a few hundred user
// agents over and over, so a bounded LRU sits in front of the parse. A miss
// costs ~50 µs (ua-parser's regex tables plus isbot's pattern); a hit is a
// Map lookup, well under 1 µs.

/** Entries kept; about 2.5 MB at the 500-character cap ua-parser itself applies. */
const CACHE_SIZE = 5_000;
/**
 * Longer strings are parsed but not cached: the header is attacker-chosen,
 * and 5,000 entries of 16 KB each would be 80 MB. Real browsers send < 400.
 */
const MAX_CACHED_LENGTH = 1_024;

/** ua-parser's device.type, in our vocabulary. Absent means "not a phone/tablet/TV...". */
const FROM_UA_PARSER: Readonly<Record<string, DeviceType>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
  embedded: 'embedded',
};

/** Operating systems that, with no device type given, mean a desktop or laptop. */
const DESKTOP_OS = new Set(
  [
    'windows', 'mac os', 'macos', 'linux', 'chromium os', 'chrome os', 'ubuntu', 'debian', 'fedora',
    'mint', 'arch', 'gentoo', 'centos', 'red hat', 'suse', 'opensuse', 'mandriva', 'slackware',
    'kubuntu', 'xubuntu', 'deepin', 'elementary os', 'manjaro', 'raspbian', 'freebsd', 'openbsd',
    'netbsd', 'dragonfly', 'solaris', 'unix', 'gnu', 'haiku', 'beos', 'os/2', 'aix', 'hp-ux',
  ],
);

function deviceTypeOf(type: string | undefined, osName: string | undefined, userAgent: string): DeviceType {
  if (type) return FROM_UA_PARSER[type] ?? 'unknown';
  const os = osName?.toLowerCase();
  if (!os) return 'unknown';
  if (DESKTOP_OS.has(os)) return 'desktop';
  // Unnamed handsets: Google's rule is that Android phones send "Mobile" and tablets do not.
  if (os === 'android') return /\bMobile\b/.test(userAgent) ? 'mobile' : 'tablet';
  if (os === 'ios') return 'mobile';
  return 'unknown';
}

/** A Map-based LRU: Map keeps insertion order, so the first key is the least recently used. */
class Lru<V> {
  readonly #entries = new Map<string, V>();
  constructor(readonly max: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

export interface UserAgentParserWithCache extends UserAgentParser {
  /** Entries in the cache; exposed so tests can see it stays bounded. */
  readonly cacheSize: number;
}

export function createUserAgentParser(options: { cacheSize?: number } = {}): UserAgentParserWithCache {
  const cache = new Lru<UserAgentInfo>(options.cacheSize ?? CACHE_SIZE);
  // One instance reused: setUA() re-points it, avoiding a fresh object per click.
  const parser = new UAParser();
  const missing: UserAgentInfo = Object.freeze({
    browser: null,
    browserVersion: null,
    os: null,
    deviceType: 'bot',
    isBot: true,
    botReason: 'no-user-agent',
  });

  // getBrowser/getOS/getDevice rather than getResult(): engine and CPU are
  // not stored, and skipping them halves a miss (measured here: ~88 µs for
  // getResult, ~40 µs for the three we need). Bots skip the device scan too.
  function parseUncached(userAgent: string): UserAgentInfo {
    parser.setUA(userAgent);
    const botReason = classifyBot(userAgent);
    const browser = parser.getBrowser();
    const os = parser.getOS();
    return Object.freeze({
      browser: browser.name ?? null,
      browserVersion: browser.major ?? null,
      os: os.name ?? null,
      deviceType: botReason ? 'bot' : deviceTypeOf(parser.getDevice().type, os.name, userAgent),
      isBot: botReason !== null,
      botReason,
    });
  }

  return {
    parse(userAgent) {
      if (userAgent === null || userAgent.trim() === '') return missing;
      if (userAgent.length > MAX_CACHED_LENGTH) return parseUncached(userAgent);
      let info = cache.get(userAgent);
      if (!info) {
        info = parseUncached(userAgent);
        cache.set(userAgent, info);
      }
      return info;
    },
    get cacheSize() {
      return cache.size;
    },
  };
}
