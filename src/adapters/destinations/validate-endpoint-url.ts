import type { FieldProblem } from '../../domain/shared/errors.ts';

// The URL checks every HTTP-based kind shares at endpoint create/update. The
// SSRF check (does it resolve to a public address?) is the outbound guard's,
// run by the API separately because it needs DNS; this one is synchronous.

export interface UrlRules {
  /** Slack, Teams and PagerDuty only ever serve https; an http URL there is a typo or a downgrade. */
  httpsOnly?: boolean;
  /** Whether a missing URL is fine (the kind has a default, e.g. PagerDuty). */
  optional?: boolean;
}

/** Long enough for Teams Workflows URLs (~400 chars with their sig query), short enough to log. */
const MAX_URL_LENGTH = 2048;

export function validateEndpointUrl(url: string | null | undefined, rules: UrlRules = {}, field = 'url'): FieldProblem[] {
  if (url === null || url === undefined || url === '') return rules.optional ? [] : [{ field, message: 'is required' }];
  if (url.length > MAX_URL_LENGTH) return [{ field, message: `must be at most ${MAX_URL_LENGTH} characters` }];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ field, message: 'must be an absolute URL' }];
  }
  if (rules.httpsOnly && parsed.protocol !== 'https:') return [{ field, message: 'must be an https:// URL' }];
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return [{ field, message: 'must be an http:// or https:// URL' }];
  if (parsed.hash !== '') return [{ field, message: 'must not contain a #fragment' }];
  return [];
}
