// Durations as rules write them: "90s", "5m", "1h", "7d" (an integer and one
// unit). One parser for every rule field (window, cooldown, response_time,
// lead times), so "5m" means the same thing everywhere. Weeks and months are
// left out on purpose: "4w" reads well but a month is not a fixed length, and
// "28d" says exactly what it means.

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^(\d{1,6})([smhd])$/;

/** 90 days: the longest window or response time that still makes sense for a click alert. */
export const MAX_DURATION_MS = 90 * UNITS.d;

/** Milliseconds of "5m", or undefined when the text is not a duration this API accepts. */
export function parseDuration(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** The shortest exact text of a duration: 900000 → "15m", 90000 → "90s". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

export const DURATION_HINT = 'must be a duration like "90s", "5m", "1h" or "7d" (at most 90 days)';
