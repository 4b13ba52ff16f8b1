// Labelled synthetic link traffic for bench/alerts.ts: hourly rates with a
// daily and a weekly cycle, per-link time zones, day-level and hour-level
// noise on top of Poisson arrivals, and injected incidents (spikes, drops)
// whose start, end and kind are known. Seeded: the same seed, the same data.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Incident {
  linkIndex: number;
  kind: 'spike' | 'drop';
  start: number;
  end: number;
  multiplier: number;
}

export interface LinkProfile {
  /** Mean clicks per day on a weekday. */
  daily: number;
  /** Hours the link's audience is shifted from UTC. */
  tzShift: number;
}

/** mulberry32: a tiny seeded PRNG, good enough for synthetic traffic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export function poisson(r: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

// Daily shape: a trough at 04:00 about 1/7 of the 13:00 peak, the shape of
// consumer link traffic; normalised so the 24 hours sum to 1.
const SHAPE = Array.from({ length: 24 }, (_, h) => 0.15 + 0.85 * Math.exp(-((h - 13) ** 2) / (2 * 4 ** 2)));
const SHAPE_SUM = SHAPE.reduce((a, b) => a + b, 0);
/** Saturday and Sunday traffic relative to weekdays. */
export const WEEKEND = 0.6;

/** Expected clicks in the hour starting at `hourStart`, before noise and incidents. */
export function expectedHourly(p: LinkProfile, hourStart: number): number {
  const local = new Date(hourStart + p.tzShift * HOUR);
  const weekday = local.getUTCDay();
  const week = weekday === 0 || weekday === 6 ? WEEKEND : 1;
  return (p.daily * week * (SHAPE[local.getUTCHours()] as number)) / SHAPE_SUM;
}

export interface TrafficPlan {
  links: LinkProfile[];
  incidents: Incident[];
}

/**
 * Links with daily volumes log-uniform in [minDaily, maxDaily]; incidents at
 * `perLinkDay` per link-day over [evalFrom, evalTo), 2-6 h long, starting at
 * a random minute of an hour whose expected volume is at least `minHourly`
 * (the volume the change rule is specified to judge: min_volume), spikes
 * 4x-10x, drops to 0-15%.
 */
export function planTraffic(r: () => number, o: { links: number; minDaily: number; maxDaily: number; evalFrom: number; evalTo: number; perLinkDay: number; minHourly: number }): TrafficPlan {
  const links: LinkProfile[] = Array.from({ length: o.links }, () => ({
    daily: Math.round(o.minDaily * (o.maxDaily / o.minDaily) ** r()),
    tzShift: Math.floor(r() * 9) - 4,
  }));
  const incidents: Incident[] = [];
  const days = (o.evalTo - o.evalFrom) / DAY;
  for (const [linkIndex, p] of links.entries()) {
    const n = poisson(r, o.perLinkDay * days);
    for (let i = 0; i < n; i++) {
      // Draw a start hour that is busy enough; give up after 50 draws (a small link may have none).
      for (let attempt = 0; attempt < 50; attempt++) {
        const hour = o.evalFrom + Math.floor(r() * days * 24) * HOUR;
        if (expectedHourly(p, hour) < o.minHourly) continue;
        const start = hour + Math.floor(r() * 60) * 60_000;
        const end = Math.min(start + (2 + Math.floor(r() * 5)) * HOUR, o.evalTo);
        if (incidents.some((x) => x.linkIndex === linkIndex && start < x.end + 2 * DAY && x.start < end + 2 * DAY)) break; // keep them apart
        const kind = r() < 0.5 ? 'spike' : 'drop';
        incidents.push({ linkIndex, kind, start, end, multiplier: kind === 'spike' ? 4 + 6 * r() : 0.15 * r() });
        break;
      }
    }
  }
  return { links, incidents };
}

/** Click times for one link over [from, to): Poisson per hour with lognormal noise, incidents applied per minute. */
export function clickTimes(r: () => number, p: LinkProfile, incidents: readonly Incident[], from: number, to: number): number[] {
  const out: number[] = [];
  let dayNoise = 1;
  for (let hour = from; hour < to; hour += HOUR) {
    // Day-to-day (sigma 0.15) and hour-to-hour (0.1) variation beyond Poisson: real traffic is overdispersed.
    if ((hour - from) % DAY === 0) dayNoise = Math.exp(0.15 * gaussian(r));
    const lambda = expectedHourly(p, hour) * dayNoise * Math.exp(0.1 * gaussian(r));
    // Per 10-minute slice, so an incident starting mid-hour changes the rate mid-hour.
    for (let s = 0; s < 6; s++) {
      const sliceStart = hour + s * 600_000;
      const inc = incidents.find((x) => sliceStart < x.end && sliceStart + 600_000 > x.start);
      const n = poisson(r, (lambda / 6) * (inc ? inc.multiplier : 1));
      for (let i = 0; i < n; i++) out.push(sliceStart + Math.floor(r() * 600_000));
    }
  }
  return out.sort((a, b) => a - b);
}
