import type { FieldProblem } from '../../../domain/shared/errors.ts';

// An email endpoint's settings: who gets the mail. The SMTP server and the
// From address are the operator's (LINKHOOK_SMTP_URL / LINKHOOK_SMTP_FROM),
// never an endpoint's: a workspace must not be able to make the server open
// SMTP connections to hosts of its choosing.

export interface EmailSettings {
  to: string[];
  cc: string[];
  subjectPrefix: string | undefined;
}

/** A mail relay takes ~100 recipients per message; 50 keeps a misconfigured list from being a mailing. */
export const MAX_RECIPIENTS = 50;

// Plain addresses only (no "Name <addr>" forms, no comments, no quoted local
// parts): what a settings form produces, and nothing a header could be bent with.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmailAddress(s: string): boolean {
  return s.length <= 254 && ADDRESS.test(s) && !s.startsWith('.') && !s.includes('..');
}

function addressList(value: unknown, field: string, required: boolean, problems: FieldProblem[]): string[] {
  if (value === undefined || value === null) {
    if (required) problems.push({ field, message: 'is required: a list of email addresses' });
    return [];
  }
  // A single address is accepted too: `"to": "ops@acme.example"` is what people type.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    problems.push({ field, message: 'must be a list of email addresses' });
    return [];
  }
  if (required && list.length === 0) problems.push({ field, message: 'needs at least one address' });
  const out: string[] = [];
  list.forEach((a: unknown, i) => {
    if (typeof a !== 'string' || !isEmailAddress(a.trim())) problems.push({ field: `${field}[${i}]`, message: 'is not a valid email address' });
    else out.push(a.trim());
  });
  return out;
}

export function parseEmailSettings(settings: Record<string, unknown>): { settings: EmailSettings; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const to = addressList(settings.to, 'settings.to', true, problems);
  const cc = addressList(settings.cc, 'settings.cc', false, problems);
  if (to.length + cc.length > MAX_RECIPIENTS) problems.push({ field: 'settings.to', message: `at most ${MAX_RECIPIENTS} recipients (to and cc together)` });
  let subjectPrefix: string | undefined;
  const p = settings.subject_prefix;
  if (p !== undefined && p !== null) {
    if (typeof p !== 'string' || p.length > 60 || /[\r\n]/.test(p)) problems.push({ field: 'settings.subject_prefix', message: 'must be one line of at most 60 characters' });
    else subjectPrefix = p.trim() || undefined;
  }
  return { settings: { to, cc, subjectPrefix }, problems };
}
