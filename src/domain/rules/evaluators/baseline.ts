import type { Link } from '../../links/link.ts';
import type { EvaluationContext } from '../evaluator.ts';
import type { Metric } from '../rule.ts';
import { countsByLink } from './evaluator-support.ts';

// What "normal" is for a link in the window [now − W, now), learned from the
// link's own history, in three tiers by how much history there is:
//
// 1. same_hour_of_week — the same window 1..4 weeks back, median of the weeks
//    the link existed (at least 2). Link traffic has a daily AND a weekly
//    cycle (Monday 9:00 is not Sunday 3:00); only the same hour of the week
//    removes both. The median, not the mean: last week's incident (a 10x
//    spike) must not become this week's normal, and with 4 samples one
//    outlier moves the median by half a gap instead of the mean by 2.5x.
// 2. same_time_of_day — the same window 1..7 days back (median, at least 1):
//    keeps the daily cycle for links 1 to 13 days old. A weekend dip
//    (typically to ~0.5x) is well inside the default factor of 3.
// 3. recent_rate — the average rate over up to the last 24 h before the
//    window, scaled to the window: a smoothed recent rate for links younger
//    than a day, judged once they have 3 windows of history.
//
// A link with less history than that has no baseline and is not judged.

export type BaselineKind = 'same_hour_of_week' | 'same_time_of_day' | 'recent_rate';

export interface Baseline {
  kind: BaselineKind;
  /** Expected count in one window (the median). */
  expected: number;
  /**
   * The two middle samples (lower and upper median; both the median for an
   * odd count, both `expected` for recent_rate). A drop is judged against
   * `low` and a spike against `high`: two of four past weeks hit by
   * incidents (a campaign two weeks running) move the median halfway to
   * them, but not the middle sample on the other side. In bench/alerts.ts
   * (min_volume 20) this cut false alerts from 9.2 to 5.6 per 100 link-days
   * and raised recall from 0.992 to 1.
   */
  low: number;
  high: number;
  /** The counts it was learned from (tier 1 and 2), oldest last. */
  samples: number[];
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const WEEKS = 4;
const MIN_WEEKS = 2;
const DAYS = 7;
const RECENT_SPAN = DAY;
const MIN_RECENT_WINDOWS = 3;

/** Median and the two middle samples of a non-empty list. */
export function middle(xs: readonly number[]): { median: number; low: number; high: number } {
  const s = [...xs].sort((a, b) => a - b);
  const low = s[Math.floor((s.length - 1) / 2)] as number;
  const high = s[Math.ceil((s.length - 1) / 2)] as number;
  return { median: (low + high) / 2, low, high };
}

/** Counts of the window shifted back by k periods, k = 1..n, for the given links. */
async function shifted(ctx: EvaluationContext, metric: Metric, windowMs: number, period: number, n: number, links: readonly Link[]): Promise<Map<string, number>[]> {
  const out: Map<string, number>[] = [];
  for (let k = 1; k <= n; k++) {
    const to = new Date(ctx.now.getTime() - k * period);
    out.push(await countsByLink(ctx, metric, new Date(to.getTime() - windowMs), to, links));
  }
  return out;
}

/**
 * Periods (weeks, days) of history behind the window: since the link was
 * created, or since the oldest of the shifted windows that has clicks when
 * that is older (history imported from another platform predates the link).
 * Read from the shifted windows themselves rather than a scan of the whole
 * lookback: 4 one-hour range reads instead of 4 weeks of rows.
 */
function periodsOf(link: Link, windowStart: number, period: number, perPeriod: Map<string, number>[]): number {
  let seen = 0;
  for (const [i, m] of perPeriod.entries()) if ((m.get(link.id) ?? 0) > 0) seen = i + 1;
  return Math.max(seen, Math.floor((windowStart - Date.parse(link.createdAt)) / period));
}

/** Baselines per link id; links without enough history are absent. */
export async function learnBaselines(ctx: EvaluationContext, metric: Metric, windowMs: number): Promise<Map<string, Baseline>> {
  const windowStart = ctx.now.getTime() - windowMs;
  const out = new Map<string, Baseline>();

  const fromSamples = async (links: readonly Link[], kind: BaselineKind, period: number, n: number, min: number): Promise<Link[]> => {
    if (links.length === 0) return [];
    const perPeriod = await shifted(ctx, metric, windowMs, period, n, links);
    const rest: Link[] = [];
    for (const l of links) {
      // Only periods the link existed through: a week before its creation is not a quiet week.
      const usable = Math.min(n, periodsOf(l, windowStart, period, perPeriod));
      if (usable < min) {
        rest.push(l);
        continue;
      }
      const samples = perPeriod.slice(0, usable).map((m) => m.get(l.id) ?? 0);
      const m = middle(samples);
      out.set(l.id, { kind, expected: m.median, low: m.low, high: m.high, samples });
    }
    return rest;
  };
  const noWeeks = await fromSamples(ctx.links, 'same_hour_of_week', WEEK, WEEKS, MIN_WEEKS);
  const noDays = await fromSamples(noWeeks, 'same_time_of_day', DAY, DAYS, 1);

  const ageOf = (l: Link): number => windowStart - Date.parse(l.createdAt);
  const recent = noDays.filter((l) => ageOf(l) >= MIN_RECENT_WINDOWS * windowMs);
  if (recent.length > 0) {
    const counts = await countsByLink(ctx, metric, new Date(windowStart - RECENT_SPAN), new Date(windowStart), recent);
    for (const l of recent) {
      const span = Math.min(RECENT_SPAN, ageOf(l));
      const expected = ((counts.get(l.id) ?? 0) * windowMs) / span;
      out.set(l.id, { kind: 'recent_rate', expected, low: expected, high: expected, samples: [] });
    }
  }
  return out;
}
