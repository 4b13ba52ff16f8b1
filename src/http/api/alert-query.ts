import { z } from 'zod';
import { parseLimit } from '../../domain/links/get-link.ts';
import { zodProblems } from '../../domain/links/link-input.ts';
import type { AlertQuery } from '../../domain/rules/manage-alerts.ts';
import { ALERT_STATUSES } from '../../domain/rules/rule.ts';
import { validationError } from '../../domain/shared/errors.ts';

// Query parsing for GET /alerts. Unknown parameters are refused (422) like
// everywhere in the API.

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{1,40}$`), `must be an id starting with ${prefix}_`);

const schema = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    rule_id: id('rule').optional(),
    link_id: id('lnk').optional(),
    cursor: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be the next_cursor of a previous page').optional(),
    limit: z.string().optional(),
  })
  .strict();

export function parseAlertQuery(query: unknown): AlertQuery {
  const r = schema.safeParse(query ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  const q = r.data;
  const out: AlertQuery = { limit: parseLimit(q.limit) };
  if (q.status !== undefined) out.status = q.status;
  if (q.rule_id !== undefined) out.ruleId = q.rule_id;
  if (q.link_id !== undefined) out.linkId = q.link_id;
  if (q.cursor !== undefined) out.cursor = q.cursor;
  return out;
}
