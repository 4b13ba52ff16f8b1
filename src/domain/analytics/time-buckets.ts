import type { AnalyticsInterval } from './ports.ts';

// Local-time buckets in an IANA zone, computed here rather than in SQL:
// SQLite has no time-zone database, and a list of bucket boundaries lets both
// engines group with the same plain range predicate. A DST day is 23 or 25
// hours long and a local hour around a fall-back transition may cover two
// UTC hours; bucket starts are always local wall-clock boundaries.

const STEP_MS: Record<AnalyticsInterval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock time minus UTC, in ms, at the instant utcMs. */
export function zoneOffsetMs(tz: string, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return wall - whole;
}

/** The UTC instant of a local wall-clock time (the later one in a gap, the earlier in an overlap). */
export function wallToUtc(tz: string, wallMs: number): number {
  const guess = wallMs - zoneOffsetMs(tz, wallMs);
  return wallMs - zoneOffsetMs(tz, guess);
}

function floorWall(tz: string, utcMs: number, interval: AnalyticsInterval): number {
  const wall = utcMs + zoneOffsetMs(tz, utcMs);
  return wall - (((wall % STEP_MS[interval]) + STEP_MS[interval]) % STEP_MS[interval]);
}

/** Start of the local bucket containing utcMs. */
export function floorLocal(tz: string, utcMs: number, interval: AnalyticsInterval): number {
  return wallToUtc(tz, floorWall(tz, utcMs, interval));
}

/** Default range: the last `days` local days, today included ([start of today - days + 1, start of tomorrow)). */
export function lastLocalDays(tz: string, nowMs: number, days: number): { fromMs: number; toMs: number } {
  const today = floorWall(tz, nowMs, 'day');
  return { fromMs: wallToUtc(tz, today - (days - 1) * STEP_MS.day), toMs: wallToUtc(tz, today + STEP_MS.day) };
}

/**
 * The local buckets overlapping [fromMs, toMs): `keys` are their true starts,
 * `starts` the same clipped to fromMs (the first bucket may begin mid-way).
 * Null when there would be more than `max`.
 */
export function bucketsBetween(tz: string, fromMs: number, toMs: number, interval: AnalyticsInterval, max: number): { keys: number[]; starts: number[] } | null {
  const keys: number[] = [];
  const starts: number[] = [];
  let wall = floorWall(tz, fromMs, interval);
  let utc = wallToUtc(tz, wall);
  while (utc < toMs) {
    if (keys.length === max) return null;
    const prev = keys[keys.length - 1];
    if (prev === undefined || utc > prev) {
      keys.push(utc);
      starts.push(Math.max(utc, fromMs));
    }
    wall += STEP_MS[interval];
    utc = wallToUtc(tz, wall);
  }
  return { keys, starts };
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** ISO 8601 local time with the zone's offset at that instant: 2026-03-29T00:00:00+01:00. */
export function formatLocal(tz: string, utcMs: number): string {
  const offset = zoneOffsetMs(tz, utcMs);
  const wall = new Date(utcMs + offset).toISOString().slice(0, 19);
  const mins = Math.round(offset / 60_000);
  const sign = mins < 0 ? '-' : '+';
  return `${wall}${sign}${pad(Math.trunc(mins / 60))}:${pad(mins % 60)}`;
}
