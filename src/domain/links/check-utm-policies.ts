import type { EventEnvelope } from '../events/envelope.ts';
import { linkPayload } from '../events/event-payloads.ts';
import type { LinkEventContext } from '../events/link-events.ts';
import { newEvent } from '../events/new-event.ts';
import type { Repos } from '../ports.ts';
import { linkInScope } from '../rules/resolve-scope.ts';
import type { Rule } from '../rules/rule.ts';
import type { UtmPolicy, UtmProblem, UtmUsage } from '../rules/utm-policy.ts';
import { checkUtmPolicy } from '../rules/utm-policy.ts';
import type { Link, UtmKey } from './link.ts';
import { UTM_KEYS } from './link.ts';

// The UTM policy check at the moment a link is written (create, update, bulk,
// CSV import): the workspace's enabled `utm_policy` rules are the policies, a
// rule's scope says which links it covers. The link.utm_incomplete event is
// built here and emitted by the caller in the transaction that writes the
// link, like every other link event (outbox).

const PAGE = 200;

/** The workspace's enabled UTM policies (rules with trigger `utm_policy`). */
export async function loadUtmPolicies(tx: Pick<Repos, 'rules'>, workspaceId: string): Promise<Rule[]> {
  const out: Rule[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await tx.rules.list(workspaceId, cursor === undefined ? { limit: PAGE } : { cursor, limit: PAGE });
    for (const r of page.items) if (r.enabled && r.trigger.type === 'utm_policy') out.push(r);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

export function policyOf(rule: Rule): UtmPolicy {
  if (rule.trigger.type !== 'utm_policy') throw new Error(`rule ${rule.id} is not a utm_policy rule`);
  const { type: _type, ...policy } = rule.trigger;
  return policy;
}

/** UTM usage of the workspace, counted per link. */
export async function workspaceUtmUsage(tx: Pick<Repos, 'linkMonitor'>, workspaceId: string): Promise<UtmUsage> {
  const usage: Partial<Record<UtmKey, Map<string, number>>> = {};
  for (const { utm, links } of await tx.linkMonitor.utmUsage(workspaceId)) {
    for (const key of UTM_KEYS) {
      const v = utm[key];
      if (v === undefined || v === '') continue;
      const m = (usage[key] ??= new Map());
      m.set(v, (m.get(v) ?? 0) + links);
    }
  }
  return usage;
}

/** Every problem of the link against the policies covering it, without repeats (two policies may say the same). */
export function problemsFor(link: Link, policies: readonly Rule[], usage: UtmUsage): { problems: UtmProblem[]; required: UtmKey[] } {
  const seen = new Set<string>();
  const problems: UtmProblem[] = [];
  const required = new Set<UtmKey>();
  for (const rule of policies) {
    if (!linkInScope(link, rule.scope)) continue;
    const policy = policyOf(rule);
    for (const k of policy.required ?? []) required.add(k);
    for (const p of checkUtmPolicy(link.utm, policy, usage, link.campaign)) {
      const key = `${p.key}:${p.problem}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(p);
    }
  }
  return { problems, required: UTM_KEYS.filter((k) => required.has(k)) };
}

export function utmIncompleteEvent(link: Link, problems: UtmProblem[], required: UtmKey[], ctx: Pick<LinkEventContext, 'now' | 'baseUrl' | 'customDomainScheme'>): EventEnvelope {
  const data = {
    link: linkPayload(link, ctx.now, ctx.baseUrl, ctx.customDomainScheme),
    missing: problems.filter((p) => p.problem === 'missing').map((p) => p.key),
    required,
    utm: { ...link.utm },
    problems,
  };
  return newEvent('link.utm_incomplete', link.workspaceId, data, ctx.now);
}

/**
 * link.utm_incomplete events for links just written, inside `tx`. One rules
 * query when the workspace has no policy (the common case); the usage scan
 * only when it has one.
 */
export async function utmPolicyEvents(tx: Repos, links: readonly Link[], ctx: Pick<LinkEventContext, 'now' | 'baseUrl' | 'customDomainScheme'>): Promise<EventEnvelope[]> {
  const first = links[0];
  if (!first) return [];
  const policies = await loadUtmPolicies(tx, first.workspaceId);
  if (policies.length === 0) return [];
  const usage = await workspaceUtmUsage(tx, first.workspaceId);
  const events: EventEnvelope[] = [];
  for (const link of links) {
    const { problems, required } = problemsFor(link, policies, usage);
    if (problems.length > 0) events.push(utmIncompleteEvent(link, problems, required, ctx));
  }
  return events;
}
