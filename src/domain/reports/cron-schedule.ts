import { CronExpressionParser } from 'cron-parser';

// Cron arithmetic for report schedules, read in the schedule's IANA zone so
// "0 7 * * *" in Europe/Berlin is 07:00 local in winter and in summer.
// cron-parser (MIT, luxon under it) does the zone maths; we only decide the
// semantics: fire times, the period a run covers, and the missed-run rule.

/** Reports summarise a day or half a day: a cron firing more often than hourly is refused. */
export const MIN_INTERVAL_MS = 60 * 60 * 1000;
/** A period is capped at a week, so a monthly cron still gets a report of readable size. */
export const MAX_PERIOD_MS = 7 * 24 * 60 * 60 * 1000;

export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Why a cron expression is unusable, or null when it is fine. */
export function cronProblem(cron: string, timezone: string): string | null {
  if (cron.trim().split(/\s+/).length !== 5) return 'must have five fields (minute hour day-of-month month day-of-week)';
  try {
    const it = CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date('2026-01-01T00:00:00Z') });
    const a = it.next().getTime();
    const b = it.next().getTime();
    if (b - a < MIN_INTERVAL_MS) return 'fires more often than hourly; reports are daily or twice-daily summaries';
    return null;
  } catch (err) {
    return `is not a valid cron expression (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** The first fire time strictly after `after`. */
export function nextFire(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: after }).next().toDate();
}

/** The last fire time at or before `at`. */
export function lastFire(cron: string, timezone: string, at: Date): Date {
  // prev() is strictly before its start; +1 ms makes a fire exactly at `at` count.
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(at.getTime() + 1) }).prev().toDate();
}

/**
 * The period a run firing at `fire` covers: from the previous fire to this
 * one, so consecutive runs tile time with no gap or overlap ("0 7,19 * * *"
 * gives 12 h periods, "0 7 * * *" 24 h). Capped at 7 days for crons with
 * long gaps (a monthly cron still gets a readable report).
 */
export function periodOf(cron: string, timezone: string, fire: Date): { start: Date; end: Date } {
  const prev = CronExpressionParser.parse(cron, { tz: timezone, currentDate: fire }).prev().toDate();
  const start = Math.max(prev.getTime(), fire.getTime() - MAX_PERIOD_MS);
  return { start: new Date(start), end: fire };
}
