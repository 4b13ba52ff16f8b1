// "Which site is this?" for the health monitor's off-domain check: a
// destination on shop.acme.example that ends on www.acme.example is fine; one
// that ends on a parking page or a login wall somewhere else is not.
//
// Without the full Public Suffix List (~10k rules, a moving target), the
// registrable domain is the last two labels, or three under the common
// two-part suffixes below (co.uk, com.au...). A suffix missing here only makes
// the check stricter (acme.xx.yy and other.xx.yy look different), and a rule
// can always name its own `expected_domains`.

const TWO_PART_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'me.uk', 'ltd.uk', 'plc.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au',
  'co.nz', 'org.nz', 'co.jp', 'ne.jp', 'or.jp', 'co.kr', 'or.kr',
  'com.br', 'net.br', 'org.br', 'com.mx', 'com.ar', 'com.tr', 'com.cn', 'com.hk', 'com.sg', 'com.tw',
  'co.in', 'net.in', 'org.in', 'co.za', 'co.il', 'com.my', 'com.ph', 'com.vn', 'com.pl', 'com.ua',
]);

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Lower-case host without the trailing dot or IPv6 brackets. */
export function normalizeHostname(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** acme.example for shop.acme.example; the address itself for an IP literal. */
export function registrableDomain(host: string): string {
  const h = normalizeHostname(host);
  if (IPV4.test(h) || h.includes(':')) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const lastTwo = labels.slice(-2).join('.');
  const take = TWO_PART_SUFFIXES.has(lastTwo) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** True when `host` is one of `domains` or a subdomain of one. */
export function hostMatches(host: string, domains: readonly string[]): boolean {
  const h = normalizeHostname(host);
  return domains.some((d) => {
    const want = normalizeHostname(d);
    return h === want || h.endsWith(`.${want}`);
  });
}
