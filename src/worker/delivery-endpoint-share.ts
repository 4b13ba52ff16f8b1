// How many deliveries of ONE endpoint a worker runs at once, while endpoints
// compete for its slots (a lone endpoint may use every slot: the dispatcher
// only asks when another endpoint has work in play).
//
// A receiver that never answers holds each slot it gets until the outbound
// timeout: in bench:delivery, 2 silent endpoints of 10 took ~480 of 64
// slots' worth of time and the healthy endpoints' p99 rose 2.55x. So an
// endpoint gets a quarter of the slots (16 of the default 64).
//
// A quarter is a penalty for a busy endpoint that answers at once, though:
// its over-cap deliveries go back to the queue for a second, and in
// bench:delivery's click pass (500 link.clicked/s arriving in bursts, one
// subscriber) that second WAS the p99 (1.09-1.17 s = 1 s + the usual
// ~100 ms) whenever one other delivery was in play. Such an endpoint frees
// its slots in milliseconds, so it cannot starve anyone: an endpoint whose
// last FAST_STREAK deliveries each took under FAST_MS, and none of whose
// running deliveries is older than FAST_MS, may use three quarters. The
// moment one of its deliveries runs longer it is back to a quarter, so a
// fast endpoint that hangs holds at most three quarters of the slots, for
// one outbound timeout, once.

/** 250 ms: a quarter of the 1 s event-to-receipt target; healthy loopback receivers answer in 5-80 ms here (bench:delivery p99 under load). */
export const FAST_MS = 250;
/** Deliveries in a row under FAST_MS before an endpoint counts as fast: a new endpoint starts at the small share. */
export const FAST_STREAK = 8;
/**
 * Over-cap deliveries go back to the queue for at least a second, behind
 * other endpoints' work, and for half their age once they are older: a
 * stuck endpoint's backlog would otherwise come round every second, each
 * round a claim and a give-back of every row of it (bench:delivery's slow
 * pass: ~2,000 rows a second by its end, 2 silent endpoints at 120 events/s
 * each). Halving their rounds per doubling of age keeps that to a few per row.
 * At most 30 s: what a row waits beyond its endpoint's recovery.
 */
export const OVER_CAP_MIN_DELAY_MS = 1000;
export const OVER_CAP_MAX_DELAY_MS = 30_000;

/** How long a delivery over its endpoint's share goes back to the queue, from its age (now - createdAt). */
export function overCapDelayMs(ageMs: number): number {
  return Math.min(OVER_CAP_MAX_DELAY_MS, Math.max(OVER_CAP_MIN_DELAY_MS, Math.round(ageMs / 2)));
}

/** Small workers (concurrency 4) keep their full width per endpoint. */
const MIN_ENDPOINT_CAP = 4;
/** Endpoints remembered while idle (their streak); beyond this the oldest idle ones are forgotten. */
const MAX_REMEMBERED = 10_000;

interface EndpointState {
  /** Start times (ms) of its running deliveries. */
  running: number[];
  /** Deliveries in a row that took under FAST_MS. */
  fastStreak: number;
}

export class EndpointShare {
  /** Most running deliveries of an endpoint not known to be fast. */
  readonly cap: number;
  /** Most running deliveries of a fast endpoint; at least `cap`. */
  readonly fastCap: number;
  private readonly states = new Map<string, EndpointState>();

  constructor(concurrency: number) {
    this.cap = Math.max(MIN_ENDPOINT_CAP, Math.floor(concurrency * 0.25));
    this.fastCap = Math.max(this.cap, concurrency - this.cap);
  }

  private state(endpointId: string): EndpointState {
    let s = this.states.get(endpointId);
    if (s === undefined) {
      s = { running: [], fastStreak: 0 };
      this.states.set(endpointId, s);
      if (this.states.size > MAX_REMEMBERED) this.forgetIdle();
    }
    return s;
  }

  private forgetIdle(): void {
    for (const [id, s] of this.states) {
      if (s.running.length === 0) {
        this.states.delete(id);
        return;
      }
    }
  }

  started(endpointId: string, atMs: number): void {
    this.state(endpointId).running.push(atMs);
  }

  finished(endpointId: string, startedMs: number, atMs: number): void {
    const s = this.state(endpointId);
    const i = s.running.indexOf(startedMs);
    if (i >= 0) s.running.splice(i, 1);
    s.fastStreak = atMs - startedMs < FAST_MS ? s.fastStreak + 1 : 0;
  }

  running(endpointId: string): number {
    return this.states.get(endpointId)?.running.length ?? 0;
  }

  /** Endpoints with deliveries running. */
  busy(): string[] {
    const out: string[] = [];
    for (const [id, s] of this.states) if (s.running.length > 0) out.push(id);
    return out;
  }

  /** How many deliveries of the endpoint may run at once, as of nowMs. */
  limit(endpointId: string, nowMs: number): number {
    const s = this.states.get(endpointId);
    if (s === undefined || s.fastStreak < FAST_STREAK) return this.cap;
    for (const t of s.running) if (nowMs - t >= FAST_MS) return this.cap;
    return this.fastCap;
  }

  /** Whether one more delivery of the endpoint may start now. */
  hasRoom(endpointId: string, nowMs: number): boolean {
    return this.running(endpointId) < this.limit(endpointId, nowMs);
  }
}
