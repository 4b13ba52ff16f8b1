import type { EventEnvelope } from '../../src/domain/events/envelope.ts';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import { createLink } from '../../src/domain/links/create-link.ts';
import type { LinkDeps } from '../../src/domain/links/link-deps.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import type { EvaluationContext, Observation } from '../../src/domain/rules/evaluator.ts';
import type { Rule, Trigger } from '../../src/domain/rules/rule.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';
import type { StorageKind } from '../helpers/test-storage.ts';
import { openTestStorage } from '../helpers/test-storage.ts';

// What the monitor tests (health, lifecycle, UTM policy, domain health)
// share: a real migrated database, a workspace, links made through the real
// use case, a rule value (evaluators take the rule, not its row) and event
// reads that validate each payload against the catalogue.

export const BASE_URL = 'https://lnk.test';

export interface MonitorWorld {
  storage: Storage;
  clock: ManualClock;
  workspaceId: string;
  linkDeps: LinkDeps;
  link(body: Record<string, unknown>): Promise<Link>;
  rule(trigger: Trigger, scope?: Rule['scope']): Rule;
  ctx(rule: Rule, links: readonly Link[]): EvaluationContext;
  events(type: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

export async function openWorld(kind: StorageKind, start = '2026-03-01T00:00:00.000Z'): Promise<MonitorWorld> {
  const opened = await openTestStorage(kind);
  const storage = opened.storage;
  const clock = new ManualClock(start);
  const ws = await ensureWorkspace(storage, clock);
  const linkDeps: LinkDeps = { storage, clock, defaultHost: 'lnk.test', baseUrl: BASE_URL, customDomainScheme: 'https' };
  return {
    storage,
    clock,
    workspaceId: ws.id,
    linkDeps,
    link: (body) => createLink(linkDeps, ws.id, body),
    rule(trigger, scope = {}) {
      const now = clock.now().toISOString();
      return {
        id: newId('rule', clock.now().getTime()),
        workspaceId: ws.id,
        name: `test ${trigger.type}`,
        scope,
        trigger,
        endpointIds: [],
        escalationEndpointIds: [],
        owner: { name: 'Web team', contact: 'web@example.com' },
        action: 'Fix it',
        severity: 'warning',
        class: 'alert',
        cooldownMs: 0,
        responseTimeMs: null,
        includeBots: false,
        enabled: true,
        createdAt: now,
        updatedAt: now,
      };
    },
    ctx: (rule, links) => ({ rule, now: clock.now(), links, storage, clock }),
    async events(type) {
      const page = await storage.events.list(ws.id, { type }, { limit: 500 });
      for (const e of page.items) {
        const entry = EVENT_CATALOGUE[e.type as keyof typeof EVENT_CATALOGUE];
        const parsed = entry.schema.safeParse(e.data);
        if (!parsed.success) throw new Error(`${e.type} does not match its schema: ${JSON.stringify(parsed.error.issues)}`);
      }
      return page.items;
    },
    close: () => opened.cleanup(),
  };
}

export function forLink(events: readonly EventEnvelope[], linkId: string): EventEnvelope[] {
  return events.filter((e) => e.data.link?.id === linkId);
}

export function observationOf(observations: readonly Observation[], subject: string): Observation {
  const o = observations.find((x) => x.subject === subject);
  if (!o) throw new Error(`no observation for ${subject} among ${observations.map((x) => x.subject).join(', ')}`);
  return o;
}
