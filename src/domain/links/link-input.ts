import { z } from 'zod';
import type { FieldProblem } from '../shared/errors.ts';
import { validationError } from '../shared/errors.ts';
import { checkDestinationUrl } from './destination-url.ts';
import { PRIORITIES, REDIRECT_TYPES, RESERVED_SLUGS, SLUG_PATTERN } from './link.ts';

// Input schemas for link writes. Field names are the API's (snake_case); the
// use cases turn a parsed input into a Link.

const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const text = (max: number) => z.string().max(max).regex(NO_CONTROL, 'must not contain control characters');
// Stores the normalised form (IDN host in punycode, trimmed), not the raw text:
// the redirect writes it into a Location header as-is.
const url = z.string().transform((v, ctx) => {
  const r = checkDestinationUrl('', v);
  if (r.ok) return r.url;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.problem.message });
  return z.NEVER;
});
const isoDate = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:00Z' });

const utm = z
  .object({
    source: text(200).optional(),
    medium: text(200).optional(),
    campaign: text(200).optional(),
    term: text(200).optional(),
    content: text(200).optional(),
  })
  .strict();

const scheduledChange = z.union([
  z.object({ at: isoDate, url }).strict(),
  z.object({ at: isoDate, action: z.literal('disable') }).strict(),
]);

const metadata = z
  .record(z.string().min(1).max(64).regex(NO_CONTROL), text(1024))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys');

const slug = z
  .string()
  .regex(SLUG_PATTERN, 'must be 1-100 characters of letters, digits, - and _, starting with a letter or digit')
  .refine((s) => !RESERVED_SLUGS.has(s.toLowerCase()), 'is reserved');

const tag = text(64).min(1);

const linkFields = {
  url,
  slug,
  domain: z.string().min(1).max(253).nullable(),
  redirect_type: z.union(REDIRECT_TYPES.map((n) => z.literal(n)) as [z.ZodLiteral<301>, z.ZodLiteral<302>, z.ZodLiteral<307>, z.ZodLiteral<308>]),
  title: text(500).nullable(),
  tags: z.array(tag).max(50),
  campaign: text(200).nullable(),
  utm,
  priority: z.enum(PRIORITIES),
  owner: text(200).nullable(),
  expires_at: isoDate.nullable(),
  expired_url: url.nullable(),
  scheduled_changes: z.array(scheduledChange).max(100),
  is_test: z.boolean(),
  external_id: text(200).nullable(),
  metadata,
};

export const createLinkSchema = z
  .object({ ...linkFields, url: linkFields.url })
  .partial()
  .required({ url: true })
  .strict();
export type CreateLinkInput = z.infer<typeof createLinkSchema>;

export const updateLinkSchema = z.object(linkFields).partial().strict();
export type UpdateLinkInput = z.infer<typeof updateLinkSchema>;

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((i) => {
    // One entry per unknown key, with its full path (utm.gclid, not gclid).
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: 'unknown field' }));
    return [{ field: i.path.join('.') || '(body)', message: i.message }];
  });
}

/** Parses with a zod schema or throws the catalogue's validation error. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(zodProblems(r.error));
  return r.data;
}
