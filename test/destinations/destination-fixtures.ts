import type { DestinationState, SendContext } from '../../src/domain/delivery/destination.ts';
import type { Endpoint, EndpointKind } from '../../src/domain/delivery/endpoint.ts';
import type { AlertPayload, EventEnvelope } from '../../src/domain/events/envelope.ts';
import { OTHER_EVENT_SAMPLES } from '../../src/domain/events/sample-alert-events.ts';

// Endpoints and send contexts for the destination tests (github, jira, crm,
// email, warehouse), built from the catalogue's own sample events so the
// adapters are exercised with what the engine will really hand them.

export function makeEndpoint(kind: EndpointKind, settings: Record<string, unknown>, url: string | null = null): Endpoint {
  const now = '2026-03-14T09:00:00.000Z';
  return {
    id: 'ep_01kjr2rk8myrm27v3bhxbhcmjs',
    workspaceId: 'ws_01kkkwea43gv8nyjanwb2pregh',
    kind,
    name: `${kind} test`,
    url,
    settings,
    events: [],
    filter: {},
    class: 'alert',
    owner: null,
    rateLimitPerSecond: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    secrets: [],
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The adapter memory as the engine keeps it, per endpoint and key. The
 * storage's own DestinationState is covered by the storage contract suite;
 * here only the adapters' use of it matters, and being able to "lose" a
 * write (see failNextSet) is what the crash-between-create-and-record tests need.
 */
export class MemoryState implements DestinationState {
  readonly values = new Map<string, string>();
  failNextSet = false;
  async get(endpointId: string, key: string): Promise<string | undefined> {
    return this.values.get(`${endpointId}\u0000${key}`);
  }
  async set(endpointId: string, key: string, value: string): Promise<void> {
    if (this.failNextSet) {
      this.failNextSet = false;
      throw new Error('state write lost (simulated crash before the result was recorded)');
    }
    this.values.set(`${endpointId}\u0000${key}`, value);
  }
}

export function makeCtx(event: EventEnvelope, endpoint: Endpoint, state: DestinationState = new MemoryState(), attempt = 1): SendContext {
  return { event, endpoint, webhookId: event.id, attempt, state };
}

let seq = 0;
/** An alert event for one fingerprint; each call is a new event (new id) as the rules engine would emit it. */
export function alertEvent(status: 'triggered' | 'resolved', fingerprint: string, patch: Partial<AlertPayload> = {}): EventEnvelope {
  const base = OTHER_EVENT_SAMPLES[status === 'triggered' ? 'alert.triggered' : 'alert.resolved'];
  seq += 1;
  const alert = { ...base.data.alert, fingerprint, ...patch };
  return { ...base, id: `evt_test${String(seq).padStart(22, '0')}`, data: { ...base.data, alert } };
}

/** The sample alert escalated, as escalateAlerts sends it to the escalation endpoints (same id and fingerprint). */
export function escalatedAlertEvent(): EventEnvelope {
  const base = OTHER_EVENT_SAMPLES['alert.triggered'];
  return alertEvent('triggered', base.data.alert.fingerprint, { escalated: true, response_time: '30m' });
}

/** A grouped storm message as storm control sends it: no `link`, the count, the worst cases. */
export function groupedAlertEvent(status: 'triggered' | 'resolved' = 'triggered'): EventEnvelope {
  const ev = alertEvent(status, 'rule_spike:group', {
    id: 'alr_01kjses2s46kkbyhta7ps7hzzz',
    summary: '12 links tripped "Click spike on campaign links" at once; worst: /spring, /summer',
    ...(status === 'resolved' ? { resolved_at: '2026-03-14T10:00:00.000Z' } : {}),
    group: {
      count: 12,
      alert_ids: Array.from({ length: 12 }, (_, i) => `alr_01kjses2s46kkbyhta7ps7h${String(i).padStart(3, '0')}`),
      worst: [
        { alert_id: 'alr_01kjses2s46kkbyhta7ps7h000', subject: 'lnk_01kjth2hky4bca334zxdr9ebmv', link_id: 'lnk_01kjth2hky4bca334zxdr9ebmv', summary: '/spring got 1240 clicks in 15m (threshold 600)', value: 1240 },
        { alert_id: 'alr_01kjses2s46kkbyhta7ps7h001', subject: 'lnk_01kjth2hky4bca334zxdr9ebmw', link_id: 'lnk_01kjth2hky4bca334zxdr9ebmw', summary: '/summer got 900 clicks in 15m (threshold 600)', value: 900 },
      ],
    },
  });
  return { ...ev, data: { alert: ev.data.alert } };
}
