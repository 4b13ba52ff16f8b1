import type { Endpoint } from '../../src/domain/delivery/endpoint.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import type { Evaluator, Observation } from '../../src/domain/rules/evaluator.ts';
import { createEvaluatorRegistry } from '../../src/domain/rules/evaluators/registry.ts';
import type { Rule } from '../../src/domain/rules/rule.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { RuleEvaluator } from '../../src/worker/rule-evaluator.ts';
import { createRuleEvaluator } from '../../src/worker/rule-evaluator.ts';
import { addWorkspace, makeLink } from '../storage/fixtures.ts';

// A world for lifecycle tests: a workspace, links, endpoints, a rule, and a
// scripted evaluator. The evaluator is an INPUT (what a trigger saw), not a
// mock of a dependency: the storage, the outbox and the worker loop are real.

export const EVAL_MS = 60_000;

export function makeEndpoint(workspaceId: string, over: Partial<Endpoint> = {}): Endpoint {
  const at = new Date().toISOString();
  return {
    id: newId('endpoint'), workspaceId, kind: 'http', name: null, url: 'https://hooks.example.com/in', settings: {}, events: ['link.created'], filter: {},
    class: 'alert', owner: null, rateLimitPerSecond: null, enabled: true, disabledReason: null, disabledAt: null, failingSince: null,
    secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: at, expiresAt: null }], createdAt: at, updatedAt: at, ...over,
  };
}

export interface World {
  clock: ManualClock;
  wsId: string;
  links: Link[];
  notify: Endpoint;
  escalation: Endpoint;
  /** Subscribed to every alert event, but not named by the rule: must get nothing. */
  bystander: Endpoint;
  rule: Rule;
  /** What the evaluator reports next: subject → firing (value 600 when firing, 100 when not). */
  script: Map<string, boolean>;
  evaluator: RuleEvaluator;
  /** Another worker loop over the same storage and evaluator (for lease tests). */
  newEvaluator(): RuleEvaluator;
  /** Moves the clock one interval and runs the evaluator loop once. */
  tick(): Promise<void>;
  /** Events delivered to an endpoint so far, oldest first. */
  sent(endpoint: Endpoint): Promise<EventEnvelope[]>;
}

export async function makeWorld(storage: Storage, opts: { links?: number; rule?: Partial<Rule>; everyMs?: number } = {}): Promise<World> {
  const clock = new ManualClock('2026-03-01T09:00:00Z');
  const ws = await addWorkspace(storage);
  const links: Link[] = [];
  for (let i = 0; i < (opts.links ?? 2); i++) {
    const link = makeLink(ws.id, { tags: ['promo'] });
    await storage.links.insert(link);
    links.push(link);
  }
  const notify = makeEndpoint(ws.id);
  const escalation = makeEndpoint(ws.id);
  const bystander = makeEndpoint(ws.id, { events: ['alert.triggered', 'alert.resolved'] });
  for (const e of [notify, escalation, bystander]) await storage.endpoints.insert(e);
  const at = clock.now().toISOString();
  const rule: Rule = {
    id: newId('rule', clock.now().getTime()), workspaceId: ws.id, name: 'Launch spike', scope: { tags: ['promo'] },
    trigger: { type: 'threshold', metric: 'clicks', window: '5m', op: '>=', value: 500, per: 'link' },
    endpointIds: [notify.id], escalationEndpointIds: [escalation.id], owner: { name: 'Growth team', contact: 'growth@example.com' },
    action: 'Check the landing page', severity: 'warning', class: 'alert', cooldownMs: 15 * 60_000, responseTimeMs: 30 * 60_000,
    includeBots: false, enabled: true, createdAt: at, updatedAt: at, ...opts.rule,
  };
  await storage.rules.insert(rule);
  const script = new Map<string, boolean>();
  const scripted: Evaluator = {
    type: 'threshold',
    async evaluate(ctx) {
      return ctx.links
        .filter((l) => script.has(l.id))
        .map((l): Observation => {
          const firing = script.get(l.id) === true;
          const value = firing ? 600 + links.findIndex((x) => x.id === l.id) : 100;
          return { subject: l.id, linkId: l.id, firing, value, threshold: 500, summary: `${l.slug} got ${value} clicks in 5m (threshold 500)` };
        });
    },
  };
  if (opts.everyMs !== undefined) {
    const every = opts.everyMs;
    scripted.intervalMs = () => every;
  }
  const newEvaluator = (): RuleEvaluator =>
    createRuleEvaluator({
      deps: { storage, clock, baseUrl: 'https://lnk.example' },
      registry: createEvaluatorRegistry([scripted]),
      intervalMs: EVAL_MS,
      onError: (err) => {
        throw err;
      },
    });
  const evaluator = newEvaluator();
  return {
    clock, wsId: ws.id, links, notify, escalation, bystander, rule, script, evaluator, newEvaluator,
    async tick() {
      clock.advance(EVAL_MS);
      await evaluator.runOnce();
    },
    async sent(endpoint) {
      const page = await storage.deliveries.list(ws.id, { endpointId: endpoint.id }, { limit: 100 });
      const events = await storage.events.getMany(page.items.map((d) => d.eventId));
      return events.sort((a, b) => a.id.localeCompare(b.id));
    },
  };
}
