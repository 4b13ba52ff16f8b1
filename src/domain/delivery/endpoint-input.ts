import { z } from 'zod';
import { isEventType } from '../events/catalogue.ts';
import { parseOrThrow } from '../links/link-input.ts';
import { ENDPOINT_CLASSES, ENDPOINT_KINDS } from './endpoint.ts';

// Input schemas for endpoint writes. Field names are the API's (snake_case).

const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const text = (max: number) => z.string().max(max).regex(NO_CONTROL, 'must not contain control characters');
const list = (max: number) => z.array(text(200).min(1)).min(1).max(max);

const filter = z
  .object({
    link_ids: list(500),
    tags: list(100),
    campaigns: list(100),
    domains: z.array(z.string().min(1).max(253).nullable()).min(1).max(100),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 codes in upper case, e.g. DE')).min(1).max(250),
    devices: z.array(z.enum(['desktop', 'mobile', 'tablet', 'bot', 'unknown'])).min(1),
    qr: z.boolean(),
    include_bots: z.boolean(),
    include_test: z.boolean(),
  })
  .partial()
  .strict();

const eventType = z.string().refine((v: string): boolean => isEventType(v), 'is not an event type of the catalogue (see docs/events.md)');

/**
 * Deliveries per second. 0.01 (one per 100 s) to 1,000: below that a queue
 * would take days to drain; above it the limit is no longer a limit worth a
 * shared slot row.
 */
const rateLimit = z.number().min(0.01).max(1000).nullable();

const endpointFields = {
  kind: z.enum(ENDPOINT_KINDS),
  name: text(200).nullable(),
  url: text(2048).nullable(),
  settings: z.record(z.string(), z.unknown()),
  events: z.array(eventType).min(1).max(100),
  filter,
  class: z.enum(ENDPOINT_CLASSES),
  owner: text(200).nullable(),
  rate_limit_per_second: rateLimit,
  enabled: z.boolean(),
};

export const createEndpointSchema = z.object(endpointFields).partial().required({ kind: true, events: true }).strict();
export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;

// The kind is fixed at creation: settings of one kind mean nothing to another.
const { kind: _kind, ...updatable } = endpointFields;
export const updateEndpointSchema = z.object(updatable).partial().strict();
export type UpdateEndpointInput = z.infer<typeof updateEndpointSchema>;

export function parseCreateEndpoint(body: unknown): CreateEndpointInput {
  return parseOrThrow(createEndpointSchema, body);
}

export function parseUpdateEndpoint(body: unknown): UpdateEndpointInput {
  return parseOrThrow(updateEndpointSchema, body);
}
