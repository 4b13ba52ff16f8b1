import { hostname } from 'node:os';
import { deliverClaimed } from '../domain/delivery/deliver-claimed.ts';
import { createFinishBatcher } from '../domain/delivery/finish-batcher.ts';
import type { EngineDeps } from '../domain/delivery/engine-deps.ts';
import type { ProbeReport } from '../domain/delivery/probe-endpoints.ts';
import { probeEndpoints } from '../domain/delivery/probe-endpoints.ts';
import type { Delivery } from '../domain/delivery/ports.ts';
import { randomBase62 } from '../domain/shared/ids.ts';
import { EndpointShare, overCapDelayMs } from './delivery-endpoint-share.ts';
import { createWakeup } from './wakeup.ts';

// The delivery dispatcher: claim a batch of due deliveries with a lease, send
// each through its endpoint's destination, record the attempt and the
// outcome. At most `concurrency` deliveries are in flight, so one slow
// receiver (a 30 s timeout) ties up one slot, not the whole worker.
//
// It wakes at once when this process emits events (DeliverySignal), else
// polls every pollMs for work other processes queued and for retries
// falling due. A second, slower loop runs the endpoint prober.

export interface DispatcherOptions {
  engine: EngineDeps;
  /** Deliveries in flight at once (LINKHOOK_WORKER_CONCURRENCY). */
  concurrency: number;
  /** Idle poll, in real milliseconds. */
  pollMs: number;
  /** Prober pass every this many real milliseconds. */
  probeEveryMs: number;
  /** Lease owner id; default host:pid:random, unique per dispatcher. */
  owner?: string;
  onError?: (err: unknown) => void;
}

export interface DeliveryDispatcher {
  readonly owner: string;
  /** Starts the claim loop and the prober loop. */
  start(): void;
  /** Claims once (up to `concurrency`) and processes what it claimed; resolves when all are done. For tests and tools. */
  runOnce(): Promise<Delivery[]>;
  probeOnce(): Promise<ProbeReport[]>;
  /**
   * Stops claiming, lets in-flight deliveries finish for up to graceMs, then
   * gives back the leases of any still running (their late finish is then
   * refused as stale, and another worker sends them again).
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

/** 5 ms: well under the 250 ms poll and the 1 s event-to-receipt target, long enough for a burst of completions. */
const COALESCE_MS = 5;

/** 10 s: inside `linkhook serve`'s 10 s shutdown deadline only if the HTTP side is quick; requests time out at 30 s anyway. */
const DEFAULT_GRACE_MS = 10_000;

export function createDeliveryDispatcher(opts: DispatcherOptions): DeliveryDispatcher {
  const { concurrency, pollMs } = opts;
  // This worker's finished attempts are committed in groups (finish-batcher.ts).
  const engine: EngineDeps = { ...opts.engine, finish: opts.engine.finish ?? createFinishBatcher(opts.engine.storage.deliveries) };
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBase62(6)}`;
  const onError = opts.onError ?? ((err: unknown) => process.emitWarning(`delivery dispatcher: ${String(err)}`));
  const inFlight = new Set<Promise<unknown>>();
  const share = new EndpointShare(concurrency);
  const minBatch = Math.max(1, Math.floor(concurrency / 8));
  const wake = createWakeup();
  let running = false;
  let loop: Promise<void> | undefined;
  let prober: Promise<void> | undefined;
  const unsubscribe = engine.signal?.subscribe(() => wake.now());

  /** `sending` names the endpoint of a delivery that makes a request; the others (disabled endpoint, missing event) end at once and compete for nothing. */
  const track = (sending: string | null, p: Promise<unknown>): void => {
    const startedMs = performance.now();
    if (sending !== null) share.started(sending, startedMs);
    const done = p.catch(onError).finally(() => {
      inFlight.delete(done);
      if (sending !== null) share.finished(sending, startedMs, performance.now());
      wake.now(); // a free slot: claim more
    });
    inFlight.add(done);
  };

  /** Gives over-cap deliveries back to the queue for a while (overCapDelayMs) without counting an attempt: one statement for all of them. */
  const deferOverCap = (over: Delivery[]): Promise<unknown> => {
    const now = engine.clock.now().getTime();
    const leases = over.map((d) => ({ id: d.id, attempt: d.attempts, until: new Date(now + overCapDelayMs(now - Date.parse(d.createdAt))).toISOString() }));
    return engine.storage.deliveries.postponeMany(leases, owner, new Date(now).toISOString());
  };

  /** Claims up to `limit` and starts processing them; returns the claimed rows and their work. */
  const claimAndStart = async (limit: number): Promise<{ claimed: Delivery[]; work: Promise<unknown>[] }> => {
    const claimed = await engine.storage.deliveries.claim({ owner, now: engine.clock.now().toISOString(), leaseMs: engine.leaseMs, limit });
    if (claimed.length === 0) return { claimed, work: [] };
    const [events, endpoints] = await Promise.all([
      engine.storage.events.getMany(claimed.map((d) => d.eventId)),
      engine.storage.endpoints.getMany(claimed.map((d) => d.endpointId)),
    ]);
    const eventById = new Map(events.map((e) => [e.id, e]));
    const endpointById = new Map(endpoints.map((e) => [e.id, e]));
    const sends = (d: Delivery): boolean => endpointById.get(d.endpointId)?.enabled === true && eventById.has(d.eventId);
    const work: Promise<unknown>[] = [];
    // The share only matters when endpoints compete for this worker: a lone
    // endpoint may use every slot (bench:delivery's click pass, one
    // subscriber at 500 events/s, fell to 24 deliveries/s when capped).
    // Deliveries that send nothing (a disabled endpoint's) do not compete:
    // in the click pass the silent endpoints' last retries, disabled by
    // then, made the click endpoint "compete" and wait a second.
    const competing = new Set([...share.busy(), ...claimed.filter(sends).map((d) => d.endpointId)]).size > 1;
    const nowMs = performance.now();
    const over: Delivery[] = [];
    for (const d of claimed) {
      const sending = sends(d);
      if (sending && competing && !share.hasRoom(d.endpointId, nowMs)) {
        over.push(d);
        continue;
      }
      const w = deliverClaimed(engine, owner, d, eventById.get(d.eventId), endpointById.get(d.endpointId));
      track(sending ? d.endpointId : null, w);
      work.push(w);
    }
    if (over.length > 0) work.push(deferOverCap(over).catch(onError));
    return { claimed, work };
  };

  const claimLoop = async (): Promise<void> => {
    let coalesced = false;
    while (running) {
      const free = concurrency - inFlight.size;
      // Deliveries finishing one by one would each trigger a one-row claim
      // (bench:delivery: mostly 1-row claims, each its own write). While
      // others are in flight, wait a moment once so a few more slots free up
      // and the claim takes them together; then claim whatever is free, so
      // slow deliveries holding most slots never starve new work.
      if (free > 0 && free < minBatch && inFlight.size > 0 && !coalesced) {
        coalesced = true;
        await wake.sleepUnlessStopped(COALESCE_MS);
        continue;
      }
      coalesced = false;
      let full = false;
      if (free > 0) {
        try {
          const { claimed } = await claimAndStart(free);
          full = claimed.length === free; // the queue may hold more: go again at once
        } catch (err) {
          onError(err); // database down: keep polling, it may come back
        }
      }
      if (!running) break;
      if (full && inFlight.size < concurrency) continue;
      await wake.sleep(pollMs);
    }
  };

  const probeLoop = async (): Promise<void> => {
    while (running) {
      try {
        await probeEndpoints(engine, owner);
      } catch (err) {
        onError(err);
      }
      await wake.sleepUnlessStopped(opts.probeEveryMs);
    }
  };

  return {
    owner,
    start() {
      if (running) return;
      running = true;
      loop = claimLoop();
      prober = probeLoop();
    },

    async runOnce() {
      const { claimed, work } = await claimAndStart(concurrency);
      await Promise.allSettled(work);
      return claimed;
    },

    probeOnce: () => probeEndpoints(engine, owner),

    async stop({ graceMs = DEFAULT_GRACE_MS } = {}) {
      running = false;
      unsubscribe?.();
      wake.stop();
      await Promise.all([loop, prober]);
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([Promise.allSettled([...inFlight]), grace]);
        clearTimeout(timer);
      }
      // Whatever is still leased to us goes back to the queue, uncounted.
      await engine.storage.deliveries.release(owner, engine.clock.now().toISOString()).catch(onError);
    },
  };
}
