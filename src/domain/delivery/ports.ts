// The storage ports of events and delivery. They join the `Repos` of
// src/domain/ports.ts, so every one of them is usable inside storage.transaction().
//
// The delivery queue follows graphile/worker: the retry state lives in the
// row, and claim / finish / postpone are ONE statement each, guarded by the
// lease owner AND the attempt number, so a worker whose lease expired can
// never overwrite the outcome of a newer attempt.
import type { EventEnvelope } from '../events/envelope.ts';
import type { Page, PageRequest } from '../ports.ts';
import type { AttemptRequest, AttemptResponse, DestinationState, ErrorClass } from './destination.ts';
import type { Endpoint } from './endpoint.ts';

/**
 * - pending: waiting for its first attempt, due at nextAttemptAt
 * - delivering: leased by a worker until leaseExpiresAt (then due again)
 * - retrying: an attempt failed; the next one is due at nextAttemptAt
 * - succeeded: the receiver answered 2xx
 * - failed: given up (permanent error, 410, or retries exhausted); replay requeues it
 * - held: the endpoint is disabled because it kept failing; sent when it recovers
 * - skipped: the endpoint was disabled by hand; never sent unless replayed
 */
export const DELIVERY_STATUSES = ['pending', 'delivering', 'retrying', 'succeeded', 'failed', 'held', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  /** `dlv_...` */
  id: string;
  eventId: string;
  endpointId: string;
  workspaceId: string;
  /** Copied from the event so the log filters by type without a join. */
  eventType: string;
  status: DeliveryStatus;
  /** Attempts started so far (a claim counts one; a rate-limit postponement gives it back). */
  attempts: number;
  /** `attempts` when it was last replayed (0 if never): the retry schedule counts from here. */
  retryBase: number;
  /** When the row next needs a worker: the next attempt, or the lease expiry while delivering. Null once final. */
  nextAttemptAt: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  /** A rate-limit slot reserved for this delivery (see EndpointRepo.reserveSlot); used by its next claim. */
  rateSlotAt: string | null;
  /** HTTP status of the last attempt, when there was an answer. */
  lastStatus: number | null;
  lastError: string | null;
  lastErrorClass: ErrorClass | null;
  createdAt: string;
  updatedAt: string;
  /** When it reached succeeded or failed. */
  completedAt: string | null;
}

/** One row of the attempt log. */
export interface DeliveryAttempt {
  deliveryId: string;
  /** 1 for the first attempt. */
  n: number;
  at: string;
  request: AttemptRequest | null;
  response: AttemptResponse | null;
  durationMs: number;
  errorClass: ErrorClass | null;
  error: string | null;
}

export interface NewDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  workspaceId: string;
  eventType: string;
  status: Extract<DeliveryStatus, 'pending' | 'held'>;
  createdAt: string;
}

export interface DeliveryFilter {
  endpointId?: string;
  eventType?: string;
  eventId?: string;
  status?: DeliveryStatus;
  /** Inclusive lower bound on createdAt (ISO). */
  since?: string;
  /** Exclusive upper bound on createdAt (ISO). */
  until?: string;
}

export interface ClaimRequest {
  /** Identifies the worker; only it may finish what it claimed. */
  owner: string;
  now: string;
  leaseMs: number;
  limit: number;
}

/** How an attempt ended, written by DeliveryRepo.finish in one statement. */
export interface DeliveryOutcome {
  id: string;
  owner: string;
  /** The attempt number the claim returned (`attempts`). */
  attempt: number;
  now: string;
  status: Extract<DeliveryStatus, 'succeeded' | 'retrying' | 'failed' | 'held' | 'skipped'>;
  /** False when no request was made (the endpoint was disabled meanwhile): the claimed attempt is given back. Default true. */
  attempted?: boolean;
  /** Required for retrying; ignored otherwise. */
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  lastErrorClass: ErrorClass | null;
  /**
   * The attempt's log row, appended in the same transaction as the outcome
   * (and even when the lease turned out stale: the request was made).
   */
  log?: DeliveryAttempt;
}

/** Which deliveries a replay puts back in the queue. All given keys must match. */
export interface RequeueSelection {
  workspaceId: string;
  ids?: string[];
  eventId?: string;
  endpointId?: string;
  statuses?: DeliveryStatus[];
  /** Inclusive lower bound on createdAt. */
  since?: string;
}

export interface EventFilter {
  type?: string;
  since?: string;
  until?: string;
}

export interface EventRepo {
  insert(event: EventEnvelope): Promise<void>;
  insertMany(events: EventEnvelope[]): Promise<void>;
  getById(workspaceId: string, id: string): Promise<EventEnvelope | undefined>;
  /** Any workspace: the dispatcher loads the events of a claimed batch. */
  getMany(ids: string[]): Promise<EventEnvelope[]>;
  list(workspaceId: string, filter: EventFilter, page: PageRequest): Promise<Page<EventEnvelope>>;
}

export interface EndpointRepo {
  insert(endpoint: Endpoint): Promise<void>;
  /** Full replace of the user-editable fields and state. */
  update(endpoint: Endpoint): Promise<void>;
  /** Deletes the endpoint with its deliveries and their attempts. */
  delete(workspaceId: string, id: string): Promise<boolean>;
  getById(workspaceId: string, id: string): Promise<Endpoint | undefined>;
  /** Any workspace: the dispatcher loads the endpoints of a claimed batch. */
  getMany(ids: string[]): Promise<Endpoint[]>;
  list(workspaceId: string, page: PageRequest): Promise<Page<Endpoint>>;
  /** Endpoints that get deliveries: enabled ones, and those disabled as 'failing' (their deliveries are held). */
  listForFanOut(workspaceIds: string[]): Promise<Endpoint[]>;
  /** Sets failingSince if unset; returns the start of the failing streak. */
  markFailing(id: string, at: string): Promise<string | null>;
  /** Clears failingSince (a 2xx answer ends the streak). */
  markHealthy(id: string): Promise<void>;
  /**
   * Disables the endpoint if it is enabled; true when this call disabled it
   * (so exactly one worker announces endpoint.disabled). 'failing' schedules
   * the first probe at nextProbeAt.
   */
  disable(id: string, reason: string, at: string, nextProbeAt: string | null): Promise<boolean>;
  /** Re-enables it if it is disabled for `reason`; true when this call did. */
  enableIf(id: string, reason: string, at: string): Promise<boolean>;
  /**
   * Takes the endpoints disabled as 'failing' whose probe is due (≤ now) and
   * moves their next probe to leaseUntil, in one statement: two workers never
   * probe one endpoint at the same time, and a prober that dies mid-probe
   * only delays the next one until leaseUntil.
   */
  claimProbes(now: string, leaseUntil: string, limit: number): Promise<Endpoint[]>;
  /** When to probe a disabled endpoint next (after a failed probe). */
  scheduleProbe(id: string, at: string): Promise<void>;
  /**
   * A rate-limit slot, shared by every worker: atomically reserves the first
   * free slot of `key` (rateLimitKey(): the endpoint, or a Slack webhook URL)
   * at or after nowMs (slots are intervalMs apart) and returns its start
   * (epoch ms). Start ≤ nowMs: send now.
   */
  reserveSlot(key: string, nowMs: number, intervalMs: number): Promise<number>;
}

export interface DeliveryRepo {
  /** One row per (event, endpoint); a duplicate pair is ignored. Returns how many were inserted. */
  insertMany(deliveries: NewDelivery[]): Promise<number>;
  getById(workspaceId: string, id: string): Promise<Delivery | undefined>;
  /** Newest first. */
  list(workspaceId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
  listAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  /** Oldest held deliveries of an endpoint (the prober sends the first). */
  listHeld(endpointId: string, limit: number): Promise<Delivery[]>;
  /**
   * Leases up to `limit` due deliveries (pending/retrying due, or delivering
   * with an expired lease), oldest due first, and counts an attempt on each.
   * One statement; on PostgreSQL FOR UPDATE SKIP LOCKED.
   */
  claim(req: ClaimRequest): Promise<Delivery[]>;
  /** Leases one delivery if its status is one of `from` (the prober takes a held one). */
  claimById(id: string, from: DeliveryStatus[], req: Omit<ClaimRequest, 'limit'>): Promise<Delivery | undefined>;
  /**
   * Ends an attempt: one statement, or with its log one transaction of two.
   * False when the lease is no longer this owner's attempt.
   */
  finish(outcome: DeliveryOutcome): Promise<boolean>;
  /**
   * Ends several attempts, their logs included, in ONE transaction: a
   * worker's completions are grouped into it (finish-batcher.ts). Each is
   * guarded like finish(); the answers are in the same order.
   */
  finishMany(outcomes: DeliveryOutcome[]): Promise<boolean[]>;
  /**
   * Gives the attempt back without counting it (it waits for a rate-limit
   * slot): back to its previous waiting status, due at `until`, which it
   * keeps as its reserved slot.
   */
  postpone(id: string, owner: string, attempt: number, until: string, now: string): Promise<boolean>;
  /**
   * Gives several of this owner's attempts back at once, uncounted, each due
   * at its `until`, their slot state left as it was (unlike postpone): a
   * worker's deliveries over an endpoint's share. One statement;
   * each row only if it still holds that attempt's lease. Returns how many.
   */
  postponeMany(leases: { id: string; attempt: number; until: string }[], owner: string, now: string): Promise<number>;
  /** Graceful shutdown: gives back every lease of `owner`, uncounted, due now. */
  release(owner: string, now: string): Promise<number>;
  /** Moves an endpoint's pending/retrying deliveries to held. */
  holdPending(endpointId: string, now: string): Promise<number>;
  /** Moves an endpoint's pending/retrying/held deliveries to skipped. */
  skipPending(endpointId: string, now: string): Promise<number>;
  /**
   * Replay: puts the selected deliveries (any status but delivering) back to
   * pending with a fresh retry budget (retryBase = attempts; attempt numbers
   * keep counting up, so the log keeps every attempt), the n-th due at now + n × paceMs in
   * creation order. Returns how many.
   */
  requeue(selection: RequeueSelection, now: string, paceMs: number): Promise<number>;
  /** Earliest nextAttemptAt of any waiting delivery: the dispatcher sleeps until then. */
  nextDueAt(): Promise<string | null>;
  /** Deliveries per status (optionally of one endpoint), for tests, metrics and the dashboard. */
  countByStatus(endpointId?: string): Promise<Partial<Record<DeliveryStatus, number>>>;
}

/** Adapter memory per endpoint (see DestinationState in destination.ts). */
export type DestinationStateRepo = DestinationState;

/** A stored answer to an API write made with an `Idempotency-Key`. */
export interface IdempotencyRecord {
  workspaceId: string;
  key: string;
  /** Hash of method, path and body: the same key with another request is a conflict. */
  fingerprint: string;
  responseStatus: number;
  /** The JSON body sent back, as text. */
  responseBody: string;
  createdAt: string;
  expiresAt: string;
}

export interface IdempotencyRepo {
  /** The unexpired record for (workspace, key), if any. */
  get(workspaceId: string, key: string, now: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Stores the record; false when an unexpired one exists already (a
   * concurrent request won: roll back and answer with its record). An
   * expired one is replaced.
   */
  insert(record: IdempotencyRecord): Promise<boolean>;
  /**
   * Fills in the answer of an in-flight record (inserted with responseStatus
   * 0 before the request ran) and sets its expiry; false when that in-flight
   * record of this fingerprint is gone.
   */
  complete(record: IdempotencyRecord): Promise<boolean>;
  /** Drops an in-flight record (the request failed on our side), so the same key can be retried. */
  release(workspaceId: string, key: string, fingerprint: string): Promise<void>;
  deleteExpired(now: string): Promise<number>;
}
