import type { Link } from './link.ts';

/**
 * The public short URL. Links on the default domain use LINKHOOK_BASE_URL as
 * configured (scheme, host, port, optional path prefix); custom domains are
 * served over https, as any branded domain in production is.
 */
export function shortUrl(link: Pick<Link, 'domain' | 'slug'>, baseUrl: string, customDomainScheme = 'https'): string {
  if (link.domain === null) return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(link.slug)}`;
  return `${customDomainScheme}://${link.domain}/${encodeURIComponent(link.slug)}`;
}

/** What a QR code encodes: the short URL plus the scan marker the redirect recognises. */
export const QR_MARKER_PARAM = 'lh_qr';
export function qrTargetUrl(link: Pick<Link, 'domain' | 'slug'>, baseUrl: string, customDomainScheme = 'https'): string {
  return `${shortUrl(link, baseUrl, customDomainScheme)}?${QR_MARKER_PARAM}=1`;
}
