import type { Page, PageRequest, Repos, Storage } from '../ports.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { checkRuleEndpoints } from './check-rule-endpoints.ts';
import { parseDuration } from './duration.ts';
import type { Rule } from './rule.ts';
import type { CreateRuleInput } from './rule-input.ts';
import { parseCreateRule, parseUpdateRule } from './rule-input.ts';

// Rule use cases: create, read, list, update, delete. Thin: parse, check the
// endpoints, write. Evaluation lives in evaluate-rule.ts.

export interface RuleDeps {
  storage: Storage;
  clock: Clock;
}

/**
 * 1 h: one reminder an hour while an alert keeps firing, and a re-trigger
 * within the hour of the last message stays quiet. Long enough that a
 * flapping link cannot page more than once an hour, short enough that a
 * day-long incident is not forgotten.
 */
export const DEFAULT_COOLDOWN = '1h';

const ms = (d: string): number => parseDuration(d) as number; // inputs are validated by the schema

function fromInput(input: Omit<CreateRuleInput, 'name' | 'trigger' | 'endpoint_ids' | 'owner' | 'action'>, base: Rule): Rule {
  const out: Rule = { ...base };
  if (input.scope !== undefined) out.scope = input.scope;
  if (input.escalation_endpoint_ids !== undefined) out.escalationEndpointIds = [...new Set(input.escalation_endpoint_ids)];
  if (input.severity !== undefined) out.severity = input.severity;
  if (input.class !== undefined) out.class = input.class;
  if (input.cooldown !== undefined) out.cooldownMs = ms(input.cooldown);
  if (input.response_time !== undefined) out.responseTimeMs = input.response_time === null ? null : ms(input.response_time);
  if (input.include_bots !== undefined) out.includeBots = input.include_bots;
  if (input.enabled !== undefined) out.enabled = input.enabled;
  return out;
}

export async function createRule(deps: RuleDeps, workspaceId: string, body: unknown): Promise<Rule> {
  const input = parseCreateRule(body);
  const now = deps.clock.now();
  const at = now.toISOString();
  const rule = fromInput(input, {
    id: newId('rule', now.getTime()),
    workspaceId,
    name: input.name,
    scope: {},
    trigger: input.trigger,
    endpointIds: [...new Set(input.endpoint_ids)],
    escalationEndpointIds: [],
    owner: { name: input.owner.name, contact: input.owner.contact },
    action: input.action,
    severity: 'warning',
    class: 'alert',
    cooldownMs: ms(DEFAULT_COOLDOWN),
    responseTimeMs: null,
    includeBots: false,
    enabled: true,
    createdAt: at,
    updatedAt: at,
  });
  await checkRuleEndpoints(deps.storage, rule);
  await deps.storage.rules.insert(rule);
  return rule;
}

export async function getRule(deps: RuleDeps, workspaceId: string, id: string): Promise<Rule> {
  const rule = await deps.storage.rules.getById(workspaceId, id);
  if (!rule) throw notFound('Rule', id);
  return rule;
}

export function listRules(deps: RuleDeps, workspaceId: string, page: PageRequest): Promise<Page<Rule>> {
  return deps.storage.rules.list(workspaceId, page);
}

/** PATCH: given fields replace the stored ones (a new `trigger` replaces the whole trigger, defaults applied). */
export async function updateRule(deps: RuleDeps, workspaceId: string, id: string, body: unknown): Promise<Rule> {
  const input = parseUpdateRule(body);
  const current = await getRule(deps, workspaceId, id);
  const rule = fromInput(input, { ...current, updatedAt: deps.clock.now().toISOString() });
  if (input.name !== undefined) rule.name = input.name;
  if (input.trigger !== undefined) rule.trigger = input.trigger;
  if (input.endpoint_ids !== undefined) rule.endpointIds = [...new Set(input.endpoint_ids)];
  if (input.owner !== undefined) rule.owner = { name: input.owner.name, contact: input.owner.contact };
  if (input.action !== undefined) rule.action = input.action;
  await checkRuleEndpoints(deps.storage, rule);
  await deps.storage.transaction(async (tx) => {
    await tx.rules.update(rule);
    // Switching a rule off ends its open alerts, silently: nothing evaluates them any more.
    if (current.enabled && !rule.enabled) await resolveOpenSilently(tx, rule.id, rule.updatedAt);
  });
  // A changed trigger or scope is evaluated at once, not an interval later.
  if (input.trigger !== undefined || input.scope !== undefined || input.enabled === true) await deps.storage.rules.scheduleNext(rule.id, rule.updatedAt);
  return rule;
}

async function resolveOpenSilently(tx: Repos, ruleId: string, at: string): Promise<void> {
  for (const a of await tx.alerts.listOpen(ruleId)) await tx.alerts.update({ ...a, status: 'resolved', resolvedAt: at, updatedAt: at });
}

/**
 * The rule goes; its alerts stay as history (GET /alerts?rule_id= still
 * lists them). Its open alerts are resolved silently in the same transaction:
 * nothing would ever evaluate them again, and "triggered" forever is a lie.
 */
export async function deleteRule(deps: RuleDeps, workspaceId: string, id: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  const deleted = await deps.storage.transaction(async (tx) => {
    if (!(await tx.rules.delete(workspaceId, id))) return false;
    await resolveOpenSilently(tx, id, at);
    return true;
  });
  if (!deleted) throw notFound('Rule', id);
}
