import type { Repos } from '../ports.ts';
import type { FieldProblem } from '../shared/errors.ts';
import { validationError } from '../shared/errors.ts';
import type { Rule } from './rule.ts';

// A rule's endpoints must be endpoints of its workspace, and of the rule's
// class: `alert` endpoints get alert events and `report` endpoints get report
// events, so a digest channel never fills with pages and an on-call pager
// never rings for a weekly summary. Mixing them is explicit: change the
// endpoint's class (PATCH /endpoints/{id} {"class": ...}).

export async function checkRuleEndpoints(repos: Pick<Repos, 'endpoints'>, rule: Pick<Rule, 'workspaceId' | 'class' | 'endpointIds' | 'escalationEndpointIds'>): Promise<void> {
  const problems: FieldProblem[] = [];
  const lists = [
    ['endpoint_ids', rule.endpointIds],
    ['escalation_endpoint_ids', rule.escalationEndpointIds],
  ] as const;
  for (const [field, ids] of lists) {
    for (const [i, id] of ids.entries()) {
      const endpoint = await repos.endpoints.getById(rule.workspaceId, id);
      if (!endpoint) problems.push({ field: `${field}.${i}`, message: `endpoint ${id} does not exist in this workspace` });
      else if (endpoint.class !== rule.class) {
        problems.push({
          field: `${field}.${i}`,
          message: `endpoint ${id} is a ${endpoint.class} endpoint and this is a ${rule.class} rule; alerts and reports do not share endpoints unless you change the endpoint's class`,
        });
      }
    }
  }
  if (problems.length > 0) throw validationError(problems);
}
