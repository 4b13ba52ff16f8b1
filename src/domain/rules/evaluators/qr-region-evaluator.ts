import type { DimensionClickCount } from '../../ports.ts';
import type { EvaluationContext, Evaluator, Observation } from '../evaluator.ts';
import { countQuery, linkLabel } from './evaluator-support.ts';

// Trigger 7a: QR scans from a country or device type outside the rule's
// expected sets — a poster meant for Germany scanned in Brazil means the
// code was copied (or the campaign leaked); a kiosk code scanned from
// desktops means someone is scraping it. Per link (subject = link id).
//
// The qr_region trigger has no window field: it looks at the last hour of
// scans. One hour because a copied code shows up as a few scans, not a
// flood — a shorter window would resolve the alert between two scans of one
// incident, a longer one keeps it open long after it stopped. Scans of an
// unknown country (no geo match: private or new address ranges) are not
// "unexpected": we cannot tell, and firing on them would alert on every
// corporate proxy. Bots never count (a preview fetcher is not a scan) unless
// the rule opts in; test traffic never.

export const QR_REGION_WINDOW_MS = 3_600_000;
const QR_REGION_WINDOW = '1h';
/** Values listed in a message per dimension, most scans first. */
const TOP_VALUES = 5;

function unexpected(rows: DimensionClickCount[], linkId: string, expected: ReadonlySet<string> | null, upper: boolean): { value: string; count: number }[] {
  if (expected === null) return [];
  return rows
    .filter((r) => r.linkId === linkId && r.value !== null && !expected.has(upper ? r.value.toUpperCase() : r.value))
    .map((r) => ({ value: upper ? (r.value as string).toUpperCase() : (r.value as string), count: r.count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

function words(list: { value: string; count: number }[]): string {
  const shown = list.slice(0, TOP_VALUES).map((x) => `${x.value} (${x.count})`);
  return list.length > TOP_VALUES ? `${shown.join(', ')} and ${list.length - TOP_VALUES} more` : shown.join(', ');
}

export function createQrRegionEvaluator(): Evaluator {
  return {
    type: 'qr_region',
    async evaluate(ctx: EvaluationContext): Promise<Observation[]> {
      const t = ctx.rule.trigger;
      if (t.type !== 'qr_region') throw new Error(`qr_region evaluator got a ${t.type} rule`);
      const countries = t.expected_countries && t.expected_countries.length > 0 ? new Set(t.expected_countries.map((c) => c.toUpperCase())) : null;
      const devices = t.expected_devices && t.expected_devices.length > 0 ? new Set(t.expected_devices) : null;
      const q = countQuery(ctx, 'scans', new Date(ctx.now.getTime() - QR_REGION_WINDOW_MS), ctx.now);
      const byCountry = countries ? await ctx.storage.clicks.countByDimension(q, 'country') : [];
      const byDevice = devices ? await ctx.storage.clicks.countByDimension(q, 'device') : [];

      return ctx.links.map((link): Observation => {
        const badCountries = unexpected(byCountry, link.id, countries, true);
        const badDevices = unexpected(byDevice, link.id, devices, false);
        const n = Math.max(badCountries.reduce((a, x) => a + x.count, 0), badDevices.reduce((a, x) => a + x.count, 0));
        const parts: string[] = [];
        if (badCountries.length > 0) parts.push(`from ${words(badCountries)} (expected ${[...(countries ?? [])].join(', ')})`);
        if (badDevices.length > 0) parts.push(`on ${words(badDevices)} (expected ${[...(devices ?? [])].join(', ')})`);
        const label = linkLabel(link);
        return {
          subject: link.id,
          linkId: link.id,
          firing: n > 0,
          value: n,
          threshold: 1,
          summary: n > 0 ? `QR scans of ${label} in the last ${QR_REGION_WINDOW} ${parts.join(' and ')}` : `No unexpected QR scans of ${label} in the last ${QR_REGION_WINDOW}`,
          details: { window: QR_REGION_WINDOW, unexpected_countries: badCountries, unexpected_devices: badDevices, expected_countries: countries ? [...countries] : null, expected_devices: devices ? [...devices] : null },
        };
      });
    },
  };
}
