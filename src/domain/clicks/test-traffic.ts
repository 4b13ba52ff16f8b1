import ipaddr from 'ipaddr.js';

/** The query parameter and header that mark a visit as test traffic. */
export const TEST_MARKER_PARAM = 'lh_test';
export const TEST_MARKER_HEADER = 'x-linkhook-test';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Client IP ranges (LINKHOOK_TEST_IP_RANGES) whose visits are test traffic:
 * the office, the CI runners, the monitoring probe. Parsed once at start so a
 * typo fails loudly instead of silently counting test clicks as real ones.
 */
export class TestIpRanges {
  private readonly v4: Range[] = [];
  private readonly v6: Range[] = [];

  constructor(cidrs: readonly string[]) {
    for (const raw of cidrs) {
      const range = parseRange(raw.trim());
      if (range[0].kind() === 'ipv4') this.v4.push(range);
      else this.v6.push(range);
    }
  }

  get isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  /** True when `ip` falls in a configured range; IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as IPv4. */
  contains(ip: string): boolean {
    if (this.isEmpty) return false;
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      // process() turns ::ffff:127.0.0.1 (what a dual-stack socket reports) into 127.0.0.1.
      addr = ipaddr.process(ip);
    } catch {
      return false;
    }
    const ranges = addr.kind() === 'ipv4' ? this.v4 : this.v6;
    for (const r of ranges) if (addr.match(r)) return true;
    return false;
  }
}

function parseRange(raw: string): Range {
  let range: Range;
  try {
    // A bare address is a range of one.
    if (raw.includes('/')) range = ipaddr.parseCIDR(raw);
    else {
      const a = ipaddr.parse(raw);
      range = [a, a.kind() === 'ipv4' ? 32 : 128];
    }
  } catch {
    throw new Error(`Invalid IP range in LINKHOOK_TEST_IP_RANGES: "${raw}" (expected CIDR such as 10.0.0.0/8 or 2001:db8::/32)`);
  }
  // ::ffff:10.0.0.0/104 is written as IPv6 but only ever matches IPv4 clients
  // once process() has unmapped them, so store it as 10.0.0.0/8.
  const [addr, bits] = range;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return range;
}

export interface TestSignals {
  /** Value of the X-Linkhook-Test header, if sent. */
  header: string | undefined;
  /** lh_test=1 was on the query string. */
  queryMarker: boolean;
  ip: string;
  /** The link itself is a test link. */
  linkIsTest: boolean;
}

/** Test traffic is counted apart from real visits; any one signal is enough. */
export function isTestVisit(s: TestSignals, ranges: TestIpRanges): boolean {
  return s.linkIsTest || s.queryMarker || s.header === '1' || s.header === 'true' || ranges.contains(s.ip);
}
