import type { Click } from '../../domain/clicks/click.ts';

/**
 * One raw click, snake_case. `ip` appears only when the operator stores raw
 * IPs (LINKHOOK_STORE_IP); by default there is nothing to show and the key is
 * absent, so no client learns to expect it.
 */
export function clickJson(click: Click): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: click.id,
    link_id: click.linkId,
    ts: click.ts,
    domain: click.domain,
    slug: click.slug,
    method: click.method,
    referrer: click.referrer,
    referrer_domain: click.referrerDomain,
    user_agent: click.userAgent,
    browser: click.browser,
    browser_version: click.browserVersion,
    os: click.os,
    device_type: click.deviceType,
    is_bot: click.isBot,
    bot_reason: click.botReason,
    country: click.country,
    region: click.region,
    city: click.city,
    is_qr: click.isQr,
    is_test: click.isTest,
    visitor_hash: click.visitorHash,
    utm: click.utm,
  };
  if (click.ip !== null) out.ip = click.ip;
  return out;
}
