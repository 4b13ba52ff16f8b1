import { z } from 'zod';
import { PRIORITIES } from '../links/link.ts';
import { zodProblems } from '../links/link-input.ts';
import { validationError } from '../shared/errors.ts';
import { DURATION_HINT, parseDuration } from './duration.ts';
import { SEVERITIES } from './rule.ts';
import { triggerSchema } from './trigger-input.ts';

// Input schemas for rule writes. Field names are the API's (snake_case).
// Owner and action are required with messages that say why: an alert nobody
// owns and nobody knows how to act on is noise.

const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const text = (max: number) => z.string().max(max).regex(NO_CONTROL, 'must not contain control characters');
const duration = z.string().max(20).refine((v) => parseDuration(v) !== undefined, DURATION_HINT);
const endpointIds = z.array(z.string().regex(/^ep_[0-9a-z]{1,40}$/, 'must be endpoint ids (ep_...)')).max(20);

export const OWNER_REQUIRED = 'is required: {"name": "...", "contact": "..."} — who acts on this rule\'s alerts (an alert nobody owns is noise)';
export const ACTION_REQUIRED = 'is required: the runbook text or URL that goes in every message (an alert nobody knows how to act on is noise)';

const scope = z
  .object({
    link_ids: z.array(z.string().regex(/^lnk_[0-9a-z]{1,40}$/, 'must be link ids (lnk_...)')).min(1).max(1000),
    tags: z.array(text(64).min(1)).min(1).max(50),
    campaign: text(200).min(1),
    domain: z.string().min(1).max(253).nullable(),
    priority: z.array(z.enum(PRIORITIES)).min(1),
  })
  .partial()
  .strict();

const owner = z
  .object(
    {
      name: text(200).min(1, OWNER_REQUIRED),
      contact: text(320).nullable().default(null),
    },
    { required_error: OWNER_REQUIRED, invalid_type_error: OWNER_REQUIRED },
  )
  .strict();

const ruleFields = {
  name: text(200).min(1),
  scope,
  trigger: triggerSchema,
  endpoint_ids: endpointIds.min(1, 'must name at least one endpoint: where the alerts go'),
  escalation_endpoint_ids: endpointIds,
  owner,
  action: z.string({ required_error: ACTION_REQUIRED, invalid_type_error: ACTION_REQUIRED }).max(2000).trim().min(1, ACTION_REQUIRED),
  severity: z.enum(SEVERITIES),
  class: z.enum(['alert', 'report']),
  cooldown: duration,
  response_time: duration.nullable(),
  include_bots: z.boolean(),
  enabled: z.boolean(),
};

export const createRuleSchema = z
  .object(ruleFields)
  .partial()
  .required({ name: true, trigger: true, endpoint_ids: true, owner: true, action: true })
  .strict();
export type CreateRuleInput = z.infer<typeof createRuleSchema>;

export const updateRuleSchema = z.object(ruleFields).partial().strict();
export type UpdateRuleInput = z.infer<typeof updateRuleSchema>;

// Not parseOrThrow: its signature ties input and output types, and defaults make them differ here.
function parse<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  return r.data as z.output<S>;
}

export function parseCreateRule(body: unknown): CreateRuleInput {
  return parse(createRuleSchema, body);
}

export function parseUpdateRule(body: unknown): UpdateRuleInput {
  return parse(updateRuleSchema, body);
}
