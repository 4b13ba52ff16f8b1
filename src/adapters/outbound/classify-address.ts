import ipaddr from 'ipaddr.js';

// Which IP addresses an outbound request (webhook, health check) may reach.
// Policy: only globally routable unicast. Everything ipaddr.js puts in a
// special range (private, CGNAT, loopback, link-local, multicast, reserved,
// documentation, benchmarking, unique-local, site-local, discard, teredo ...)
// is refused. IPv6 forms that embed an IPv4 address (mapped ::ffff:a.b.c.d,
// SIIT ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) are
// judged by the IPv4 address inside, because that is where the packet ends
// up: "::ffff:169.254.169.254" is the metadata service, while
// "64:ff9b::8.8.8.8" is a public host seen through a NAT64 gateway and must
// keep working on IPv6-only deployments.

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Cloud metadata services: credentials live there. They are refused even when
 * an allowed range contains them (an operator allowing 169.254.0.0/16 or
 * 100.64.0.0/10 for internal services does not mean "hand out instance
 * credentials"); only a range naming exactly the address (/32, /128) allows one.
 */
const METADATA = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.253', // AWS VPC DNS
  '168.63.129.16', // Azure wireserver: public-looking but only reachable inside Azure
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23', // AWS Nitro DNS / time
].map((a) => ipaddr.parse(a).toNormalizedString());

const RFC8215_LOCAL_NAT64 = ipaddr.parseCIDR('64:ff9b:1::/48');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

export interface AddressVerdict {
  allowed: boolean;
  /** Why it is refused ("loopback", "private", "metadata" ...), or null. */
  reason: string | null;
}

export interface Cidr {
  range: [Address, number];
  text: string;
}

/** Parses "127.0.0.0/8,::1/128"-style entries; a bare address means /32 or /128. Throws on a bad one. */
export function parseCidrs(list: string[]): Cidr[] {
  return list.map((raw) => {
    const text = raw.trim();
    try {
      if (text.includes('/')) return { range: ipaddr.parseCIDR(text), text };
      const a = ipaddr.parse(text);
      return { range: [a, a.kind() === 'ipv4' ? 32 : 128], text };
    } catch {
      throw new Error(`not a CIDR range: "${text}"`);
    }
  });
}

/** IPv4 address embedded in an IPv6 form that routes to it, or null. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = a.range();
  const p = a.parts;
  if (range === 'ipv4Mapped') return a.toIPv4Address();
  const low32 = (hi: number, lo: number): ipaddr.IPv4 => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  // ::ffff:0:a.b.c.d (RFC 6145) and 64:ff9b::a.b.c.d (RFC 6052 well-known NAT64 prefix)
  if (range === 'rfc6145' || (range === 'rfc6052' && !a.match(RFC8215_LOCAL_NAT64))) return low32(p[6] ?? 0, p[7] ?? 0);
  // 2002:AABB:CCDD::/48 carries a.b.c.d in bits 16-48 (RFC 3056)
  if (range === '6to4') return low32(p[1] ?? 0, p[2] ?? 0);
  return null;
}

function inAny(a: Address, cidrs: Cidr[]): boolean {
  return cidrs.some((c) => a.kind() === c.range[0].kind() && a.match(c.range));
}

function isMetadata(a: Address): boolean {
  return METADATA.includes(a.toNormalizedString());
}

function exactlyAllowed(a: Address, cidrs: Cidr[]): boolean {
  const full = a.kind() === 'ipv4' ? 32 : 128;
  return cidrs.some((c) => c.range[1] === full && a.kind() === c.range[0].kind() && a.match(c.range));
}

/** The reason an address is not public unicast, judged without the allow list. */
function blockedReason(a: Address): string | null {
  if (isMetadata(a)) return 'metadata';
  if (a.kind() === 'ipv4') {
    const r = a.range();
    return r === 'unicast' ? null : r;
  }
  const v6 = a as ipaddr.IPv6;
  const inner = embeddedIPv4(v6);
  if (inner) {
    const why = blockedReason(inner);
    return why ? `${why} via ${v6.range()}` : null;
  }
  // ::a.b.c.d "IPv4-compatible" (deprecated, RFC 4291 §2.5.5.1): some stacks still route it to IPv4.
  if (v6.match(IPV4_COMPATIBLE)) return v6.range() === 'unicast' ? 'ipv4Compatible' : v6.range();
  const r = v6.range();
  return r === 'unicast' ? null : r;
}

/**
 * The verdict for one resolved address. An allowed range lets a blocked
 * address through (the tests' loopback receivers, an operator's internal
 * services), except metadata, which needs the exact address listed.
 */
export function classifyAddress(address: string, allow: Cidr[]): AddressVerdict {
  let a: Address;
  try {
    a = ipaddr.parse(address);
  } catch {
    return { allowed: false, reason: 'not an IP address' };
  }
  const reason = blockedReason(a);
  if (reason === null) return { allowed: true, reason: null };
  // Match the allow list against both the address and what it embeds, so
  // allowing 127.0.0.0/8 also allows ::ffff:127.0.0.1 (the same socket).
  const v4 = a.kind() === 'ipv6' ? embeddedIPv4(a as ipaddr.IPv6) : null;
  const candidates: Address[] = v4 ? [a, v4] : [a];
  if (candidates.some(isMetadata)) {
    return candidates.some((c) => exactlyAllowed(c, allow)) ? { allowed: true, reason: null } : { allowed: false, reason };
  }
  if (candidates.some((c) => inAny(c, allow))) return { allowed: true, reason: null };
  return { allowed: false, reason };
}
