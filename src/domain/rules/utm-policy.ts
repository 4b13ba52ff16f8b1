import type { Utm, UtmKey } from '../links/link.ts';
import { UTM_KEYS } from '../links/link.ts';
import type { Trigger } from './rule.ts';

// The UTM policy check, pure: what is wrong with a link's UTM values against
// a policy (a `utm_policy` rule), and for each problem HOW to fix it — a
// suggested value, not only a complaint. Reports are only as useful as the
// UTMs are consistent: "Spring-Sale", "spring_sale" and "springsale" are
// three rows in every analytics tool, and nobody merges them afterwards.

export type UtmPolicy = Omit<Extract<Trigger, { type: 'utm_policy' }>, 'type'>;

export const UTM_PROBLEM_KINDS = ['missing', 'not_allowed', 'pattern', 'case', 'separator', 'duplicate'] as const;
export type UtmProblemKind = (typeof UTM_PROBLEM_KINDS)[number];

export interface UtmProblem {
  key: UtmKey;
  problem: UtmProblemKind;
  /** The value as the link has it; null when missing. */
  value: string | null;
  /** What to use instead (or add); null when we cannot guess one. */
  suggestion: string | null;
  /** One sentence: what is wrong and what to do. */
  message: string;
}

/** How often each value of each key is used across the workspace: the evidence for duplicates and suggestions. */
export type UtmUsage = Partial<Record<UtmKey, ReadonlyMap<string, number>>>;

/** "Spring-Sale", "spring_sale", "spring sale" and "springsale" share one fold: "springsale". */
export function foldUtmValue(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The value rewritten to the policy's case and separator ("Spring Sale" -> "spring-sale"). */
export function conventional(value: string, policy: UtmPolicy): string {
  let v = value.trim();
  if (policy.case === 'lower') v = v.toLowerCase();
  if (policy.separator) v = v.replace(/[\s_\-.+]+/g, policy.separator);
  return v;
}

function safeRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

/** True when the value already follows every convention of the policy. */
function conforms(key: UtmKey, value: string, policy: UtmPolicy): boolean {
  if (conventional(value, policy) !== value) return false;
  const allowed = policy.allowed?.[key];
  if (allowed && !allowed.includes(value)) return false;
  const re = policy.patterns?.[key] ? safeRegex(policy.patterns[key]) : null;
  return !re || re.test(value);
}

/**
 * Among values spelled like `value` (same fold), the one to keep. Spellings
 * are first rewritten to the policy's conventions and counted together
 * ("Spring-Sale" x3 and "spring_sale" x1 are 4 votes for "spring-sale" under
 * lower case and "-"); then allowed/pattern-conforming forms win, then the
 * most used, then the alphabetically first (so the answer is stable).
 */
export function canonicalSpelling(key: UtmKey, value: string, usage: UtmUsage, policy: UtmPolicy): string {
  const fold = foldUtmValue(value);
  const votes = new Map<string, number>([[conventional(value, policy), 0]]);
  for (const [v, n] of usage[key]?.entries() ?? []) {
    if (foldUtmValue(v) !== fold) continue;
    const form = conventional(v, policy);
    votes.set(form, (votes.get(form) ?? 0) + n);
  }
  const ranked = [...votes.entries()].sort(([a, na], [b, nb]) => Number(conforms(key, b, policy)) - Number(conforms(key, a, policy)) || nb - na || a.localeCompare(b));
  return ranked[0]?.[0] ?? value;
}

/** The most used value of a key that follows the policy, for a missing key. */
function commonValue(key: UtmKey, usage: UtmUsage, policy: UtmPolicy): string | null {
  const allowed = policy.allowed?.[key];
  const used = [...(usage[key]?.entries() ?? [])].filter(([v]) => conforms(key, v, policy)).sort(([a, na], [b, nb]) => nb - na || a.localeCompare(b));
  return used[0]?.[0] ?? allowed?.[0] ?? null;
}

/** Every problem of `utm` against `policy`, in key order; empty when it complies. */
export function checkUtmPolicy(utm: Utm, policy: UtmPolicy, usage: UtmUsage = {}, campaign: string | null = null): UtmProblem[] {
  const problems: UtmProblem[] = [];
  for (const key of UTM_KEYS) {
    const value = utm[key];
    if (value === undefined || value === '') {
      if (!policy.required?.includes(key)) continue;
      // A link's own campaign is the obvious utm_campaign.
      const suggestion = key === 'campaign' && campaign ? conventional(campaign, policy) : commonValue(key, usage, policy);
      const hint = suggestion ? `; e.g. "${suggestion}"` : '';
      problems.push({ key, problem: 'missing', value: null, suggestion, message: `utm_${key} is required by the policy but missing${hint}` });
      continue;
    }
    const fixed = conventional(value, policy);
    if (policy.case === 'lower' && value !== value.toLowerCase()) {
      problems.push({ key, problem: 'case', value, suggestion: fixed, message: `utm_${key} "${value}" must be lower case: use "${fixed}"` });
    } else if (fixed !== value) {
      problems.push({ key, problem: 'separator', value, suggestion: fixed, message: `utm_${key} "${value}" must separate words with "${policy.separator ?? ''}": use "${fixed}"` });
    }
    const allowed = policy.allowed?.[key];
    if (allowed && !allowed.includes(value)) {
      const close = allowed.find((a) => foldUtmValue(a) === foldUtmValue(value)) ?? null;
      const list = allowed.map((a) => `"${a}"`).join(', ');
      problems.push({ key, problem: 'not_allowed', value, suggestion: close, message: `utm_${key} "${value}" is not one of the allowed values (${list})${close ? `: use "${close}"` : ''}` });
    }
    const pattern = policy.patterns?.[key];
    const re = pattern ? safeRegex(pattern) : null;
    if (pattern && re && !re.test(value)) {
      const suggestion = re.test(fixed) ? fixed : null;
      problems.push({ key, problem: 'pattern', value, suggestion, message: `utm_${key} "${value}" does not match the pattern /${pattern}/${suggestion ? `: use "${suggestion}"` : ''}` });
    }
    const canonical = canonicalSpelling(key, value, usage, policy);
    if (canonical !== value && canonical !== fixed && foldUtmValue(canonical) === foldUtmValue(value)) {
      const uses = usage[key]?.get(canonical) ?? 0;
      problems.push({ key, problem: 'duplicate', value, suggestion: canonical, message: `utm_${key} "${value}" is another spelling of "${canonical}" (used by ${uses} link${uses === 1 ? '' : 's'}): use "${canonical}" so reports count them together` });
    }
  }
  return problems;
}

/** Usage counts from links' UTM values (the links of a workspace, or of a scope). */
export function utmUsageOf(utms: Iterable<Utm>): UtmUsage {
  const usage: Partial<Record<UtmKey, Map<string, number>>> = {};
  for (const utm of utms) {
    for (const key of UTM_KEYS) {
      const v = utm[key];
      if (v === undefined || v === '') continue;
      const m = (usage[key] ??= new Map());
      m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  return usage;
}
