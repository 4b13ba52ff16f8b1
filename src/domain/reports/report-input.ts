import { z } from 'zod';
import { PRIORITIES } from '../links/link.ts';
import { zodProblems } from '../links/link-input.ts';
import { validationError } from '../shared/errors.ts';
import { cronProblem, isTimezone } from './cron-schedule.ts';

// The API body of a report schedule (snake_case, as in docs/reports.md).
// zod checks shapes; the cron is checked afterwards with its timezone,
// because how far apart its fire times are depends on both (DST days).

const idList = z.array(z.string().min(1).max(64)).max(100);

export const reportScopeSchema = z
  .object({
    link_ids: idList.optional(),
    tags: z.array(z.string().min(1).max(64)).max(50).optional(),
    campaign: z.string().min(1).max(200).optional(),
    domain: z.string().min(1).max(253).nullable().optional(),
    priority: z.array(z.enum(PRIORITIES)).optional(),
  })
  .strict();

const fields = {
  name: z.string().trim().min(1).max(200),
  cron: z.string().trim().min(1).max(100),
  timezone: z.string().min(1).max(64).refine(isTimezone, 'is not an IANA timezone (e.g. Europe/Berlin)'),
  scope: reportScopeSchema,
  endpoint_ids: idList.min(1, 'must name at least one endpoint'),
  owner: z.string().trim().min(1).max(200).nullable(),
  enabled: z.boolean(),
};

const createSchema = z
  .object({ ...fields, timezone: fields.timezone.default('UTC'), scope: fields.scope.default({}), owner: fields.owner.default(null), enabled: fields.enabled.default(true) })
  .strict();
const updateSchema = z.object(fields).partial().strict();

export type CreateReportInput = z.output<typeof createSchema>;
export type UpdateReportInput = z.output<typeof updateSchema>;

function parse<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw validationError(zodProblems(r.error));
  return r.data as z.output<S>;
}

export function checkCron(cron: string, timezone: string): void {
  const problem = cronProblem(cron, timezone);
  if (problem) throw validationError([{ field: 'cron', message: problem }]);
}

export function parseCreateReport(body: unknown): CreateReportInput {
  const input = parse(createSchema, body);
  checkCron(input.cron, input.timezone);
  return input;
}

export function parseUpdateReport(body: unknown): UpdateReportInput {
  return parse(updateSchema, body);
}
