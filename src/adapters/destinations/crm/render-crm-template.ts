import type { FieldProblem } from '../../../domain/shared/errors.ts';

// The CRM mapping template: a JSON value in which strings of the form
// `{{path.to.field}}` are replaced by values from the event envelope. No
// code, no expressions, no filters: a template is data a workspace admin
// types into a form, and the server only ever looks values up.
//
//   "{{data.link.metadata.contact_id}}"   whole string: the value, type kept
//                                         (number, boolean, object, array, null)
//   "Clicked {{data.link.short_url}}"     embedded: the value as text
//                                         (objects as JSON, null as "")
//   a path the event does not have        null (whole) or "" (embedded)
//
// Paths start at the envelope: id, type, timestamp, workspace_id, data.
// Array elements by index: data.link.tags.0. Keys are never templated.

export const TEMPLATE_ROOTS = ['id', 'type', 'timestamp', 'workspace_id', 'data'] as const;

/** A CRM call body, not a document: 32 KiB of template is far beyond any timeline-event mapping. */
const MAX_TEMPLATE_BYTES = 32 * 1024;
const MAX_DEPTH = 16;

const PATH = '[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*';
const WHOLE = new RegExp(`^\\{\\{\\s*(${PATH})\\s*\\}\\}$`);
const EMBEDDED = new RegExp(`\\{\\{\\s*(${PATH})\\s*\\}\\}`, 'g');

/** The template as stored: a JSON value, or a string holding one (what a textarea sends). */
export function parseTemplate(value: unknown, field = 'settings.template'): { template: unknown; problems: FieldProblem[] } {
  let template = value;
  if (typeof value === 'string') {
    try {
      template = JSON.parse(value) as unknown;
    } catch (err) {
      return { template: null, problems: [{ field, message: `is not valid JSON: ${(err as Error).message}` }] };
    }
  }
  if (template === undefined || template === null || typeof template !== 'object') {
    return { template: null, problems: [{ field, message: 'is required: a JSON object (or array) describing the request body' }] };
  }
  if (Buffer.byteLength(JSON.stringify(template)) > MAX_TEMPLATE_BYTES) return { template: null, problems: [{ field, message: `must be at most ${MAX_TEMPLATE_BYTES} bytes` }] };
  const problems: FieldProblem[] = [];
  walkStrings(template, field, 0, (s, at) => problems.push(...placeholderProblems(s, at)), problems);
  return { template: problems.length === 0 ? template : null, problems };
}

function walkStrings(v: unknown, at: string, depth: number, onString: (s: string, at: string) => void, problems: FieldProblem[]): void {
  if (depth > MAX_DEPTH) {
    problems.push({ field: at, message: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (typeof v === 'string') onString(v, at);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, `${at}[${i}]`, depth + 1, onString, problems));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walkStrings(x, `${at}.${k}`, depth + 1, onString, problems);
}

/** Every `{{` must open a well-formed placeholder whose path starts at a known root. */
export function placeholderProblems(s: string, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const opens = s.split('{{').length - 1;
  const found = [...s.matchAll(EMBEDDED)];
  if (found.length !== opens) problems.push({ field, message: 'has a malformed placeholder: use {{path.to.field}} with letters, digits, "_" and "-" between dots' });
  for (const m of found) {
    const root = (m[1] ?? '').split('.')[0] ?? '';
    if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) problems.push({ field, message: `placeholder {{${m[1]}}} must start with one of ${TEMPLATE_ROOTS.join(', ')}` });
  }
  return problems;
}

/** Own properties only: "constructor" or "__proto__" in a path finds nothing, never a prototype. */
export function lookup(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const seg of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(seg)) v = v[Number(seg)];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg)) v = (v as Record<string, unknown>)[seg];
    else return undefined;
  }
  return v;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Fills one string: the value itself for a whole-string placeholder, else text. */
export function fillString(s: string, source: unknown, encode: (text: string) => string = (t) => t): unknown {
  const whole = WHOLE.exec(s);
  if (whole) {
    const v = lookup(source, whole[1] ?? '');
    return v === undefined ? null : v;
  }
  return s.replace(EMBEDDED, (_m, path: string) => encode(asText(lookup(source, path))));
}

export function renderTemplate(template: unknown, source: unknown): unknown {
  if (typeof template === 'string') return fillString(template, source);
  if (Array.isArray(template)) return template.map((x) => renderTemplate(x, source));
  if (template !== null && typeof template === 'object') {
    // fromEntries defines own properties: a "__proto__" key stays a key, it never sets a prototype.
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, source)]));
  }
  return template;
}

/** Paths used in a string, for "this URL placeholder is empty in this event" checks. */
export function placeholderPaths(s: string): string[] {
  return [...s.matchAll(EMBEDDED)].map((m) => m[1] ?? '');
}
