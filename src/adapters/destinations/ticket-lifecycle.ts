import { createHash } from 'node:crypto';
import type { HttpClient, SendContext, SendResult } from '../../domain/delivery/destination.ts';
import type { EventEnvelope } from '../../domain/events/envelope.ts';
import { sendHttpRequest, type OutgoingRequest, type SendPolicy } from './send-http-request.ts';

// The ticket lifecycle shared by `github` and `jira`: one ticket per alert
// (fingerprint), a comment when it triggers again, comment + close when it
// resolves, and never two tickets for one alert.
//
// Which events make tickets: alert.triggered / alert.resolved (fingerprint
// from the alert) and link.redirect_failed / link.redirect_recovered (one
// ticket per broken link: fingerprint "redirect:<link id>"): a broken
// redirect is the other thing someone must go and fix. Any other event type
// fails permanently with a message naming these four: a ticket per click
// would flood a tracker, and a silent success would hide the misconfiguration.
//
// Never two tickets: the ticket of a fingerprint is remembered in
// ctx.state. A delivery can still be retried after the ticket was created
// but before that was recorded (crash, lost lease, failed state write), so
// before creating, the tracker is asked for an open ticket carrying the
// fingerprint tag (a hidden marker / label). The marker also names the
// event that opened the ticket, so the retry of that very event adopts the
// ticket silently instead of commenting "triggered again" on it.
//
// Known limits (documented): a retried comment or close may post the same
// comment twice; trackers' search indexes lag by seconds (GitHub's search,
// Jira Cloud's JQL), which the first retry's backoff normally covers, and
// GitHub is also asked through its consistent issue list first.

export const TICKET_EVENT_TYPES = ['alert.triggered', 'alert.resolved', 'link.redirect_failed', 'link.redirect_recovered'] as const;

export interface TicketSubject {
  fingerprint: string;
  /** Short, search- and label-safe token of the fingerprint: "linkhook-fp-<16 hex>". */
  tag: string;
  action: 'open' | 'resolve';
}

export function ticketSubject(event: EventEnvelope): TicketSubject | null {
  let fingerprint: string | null = null;
  const alert = (event.data as { alert?: { fingerprint?: unknown } }).alert;
  if (event.type === 'alert.triggered' || event.type === 'alert.resolved') fingerprint = typeof alert?.fingerprint === 'string' ? alert.fingerprint : null;
  else if (event.type === 'link.redirect_failed' || event.type === 'link.redirect_recovered') fingerprint = event.data.link ? `redirect:${event.data.link.id}` : null;
  if (fingerprint === null) return null;
  // 64 bits of SHA-256: collisions between one workspace's alerts are not a concern, and
  // it fits Jira's label rules (no spaces) and GitHub's search tokenizer.
  const tag = `linkhook-fp-${createHash('sha256').update(fingerprint).digest('hex').slice(0, 16)}`;
  return { fingerprint, tag, action: event.type === 'alert.resolved' || event.type === 'link.redirect_recovered' ? 'resolve' : 'open' };
}

/** A failed HTTP step: its SendResult is the delivery's answer. */
export class StepFailed extends Error {
  readonly result: SendResult;
  constructor(result: SendResult) {
    super(result.error ?? 'step failed');
    this.result = result;
  }
}

/**
 * Several HTTP calls make one delivery attempt. Each goes through
 * sendHttpRequest (same status mapping as every HTTP kind); the attempt
 * reports the last call made, with the total duration. The body is kept
 * uncapped for parsing (a list of issues can pass the log's 64 KiB cap).
 */
export function createStepRunner(http: HttpClient, policy: SendPolicy) {
  let last: SendResult | null = null;
  let total = 0;
  return {
    async call(req: OutgoingRequest): Promise<unknown> {
      let raw = '';
      const keepBody: HttpClient = {
        request: async (r) => {
          const res = await http.request(r);
          raw = res.body;
          return res;
        },
      };
      const r = await sendHttpRequest(keepBody, req, policy);
      total += r.durationMs;
      last = r;
      if (!r.ok) throw new StepFailed(r);
      try {
        return raw === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        return undefined;
      }
    },
    result(note?: string): SendResult {
      const base: SendResult = last ?? { ok: true, request: null, response: null, durationMs: 0, errorClass: null, error: null };
      // What the lifecycle did, ahead of the last answer: "opened 42" says more than GitHub's JSON.
      const response = note && base.response ? { ...base.response, body: `linkhook: ${note}\n${base.response.body}` } : base.response;
      return { ...base, response, durationMs: total };
    },
  };
}

export interface OpenTicket {
  ref: string;
  /** Id of the event whose delivery created it, from the marker. */
  openedBy: string | null;
}

export interface TicketTracker {
  findOpen(subject: TicketSubject): Promise<OpenTicket | null>;
  create(subject: TicketSubject): Promise<string>;
  comment(ref: string): Promise<void>;
  close(ref: string): Promise<void>;
}

/** Runs the lifecycle; returns what happened, for the attempt log. Throws StepFailed. */
export async function runTicketLifecycle(ctx: SendContext, subject: TicketSubject, tracker: TicketTracker): Promise<string> {
  const key = `ticket:${subject.tag}`;
  const remembered = await ctx.state.get(ctx.endpoint.id, key);
  let ref = remembered !== undefined && remembered !== '' ? remembered : null;
  let openedBy: string | null = null;
  if (ref === null) {
    const found = await tracker.findOpen(subject);
    if (found) {
      ref = found.ref;
      openedBy = found.openedBy;
      await ctx.state.set(ctx.endpoint.id, key, ref);
    }
  }

  if (subject.action === 'open') {
    if (ref === null) {
      const created = await tracker.create(subject);
      await ctx.state.set(ctx.endpoint.id, key, created);
      return `opened ${created}`;
    }
    if (openedBy === ctx.event.id) return `${ref} was already opened by this event`;
    await tracker.comment(ref);
    return `commented on ${ref}`;
  }

  if (ref === null) return 'nothing open to resolve';
  await tracker.comment(ref);
  await tracker.close(ref);
  // Forget it: the next trigger of this fingerprint is a new incident, a new ticket.
  await ctx.state.set(ctx.endpoint.id, key, '');
  return `resolved ${ref}`;
}
