import { after, before } from 'node:test';
import type { Click } from '../../src/domain/clicks/click.ts';
import type { Link } from '../../src/domain/links/link.ts';
import type { Storage } from '../../src/domain/ports.ts';
import type { EvaluationContext, Evaluator, Observation } from '../../src/domain/rules/evaluator.ts';
import type { Rule, Trigger } from '../../src/domain/rules/rule.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { newId } from '../../src/domain/shared/ids.ts';
import type { Workspace } from '../../src/domain/workspaces/workspace.ts';
import type { StorageKind, TestStorage } from '../helpers/test-storage.ts';
import { openTestStorage } from '../helpers/test-storage.ts';
import { addWorkspace, makeClick, makeLink } from '../storage/fixtures.ts';

// A real click log (temp SQLite file or a fresh PostgreSQL schema) and a
// ManualClock for the click-count evaluators' tests.

export const KINDS: StorageKind[] = ['sqlite', 'postgres'];
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function makeRule(workspaceId: string, trigger: Trigger, over: Partial<Rule> = {}): Rule {
  return {
    id: `rul_${newId('link').slice(4)}`,
    workspaceId,
    name: 'test rule',
    scope: {},
    trigger,
    endpointIds: [],
    escalationEndpointIds: [],
    owner: { name: 'Growth', contact: 'growth@example.com' },
    action: 'Check the landing page',
    severity: 'warning',
    class: 'alert',
    cooldownMs: 0,
    responseTimeMs: null,
    includeBots: false,
    enabled: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export interface Bench {
  storage: Storage;
  ws: Workspace;
  clock: ManualClock;
  link(over?: Partial<Link>): Promise<Link>;
  /** Inserts n clicks on the link, spread evenly over [at, at + spanMs). */
  clicks(link: Link, at: string | number, n: number, spanMs?: number, over?: Partial<Click>): Promise<void>;
  run(evaluator: Evaluator, rule: Rule, links: Link[]): Promise<Observation[]>;
}

/** Opens a storage of `kind` before the file's tests and closes it after; each test makes its own workspace. */
export function useBench(kind: StorageKind): () => Promise<Bench> {
  let t: TestStorage | undefined;
  before(async () => {
    t = await openTestStorage(kind);
  });
  after(async () => {
    await t?.cleanup();
  });
  return async () => {
    if (!t) throw new Error('storage not open');
    const storage = t.storage;
    const ws = await addWorkspace(storage);
    const clock = new ManualClock('2025-06-02T12:00:00.000Z');
    return {
      storage,
      ws,
      clock,
      async link(over = {}) {
        const l = makeLink(ws.id, { createdAt: '2025-01-01T00:00:00.000Z', ...over });
        await storage.links.insert(l);
        return l;
      },
      async clicks(link, at, n, spanMs = 0, over = {}) {
        const start = new Date(at).getTime();
        const step = n > 0 ? spanMs / n : 0;
        const batch = Array.from({ length: n }, (_, i) => makeClick(link, { ts: new Date(start + Math.floor(i * step)).toISOString(), ...over }));
        for (let i = 0; i < batch.length; i += 1000) await storage.clicks.insertMany(batch.slice(i, i + 1000));
      },
      run(evaluator, rule, links) {
        const ctx: EvaluationContext = { rule, now: clock.now(), links, storage, clock };
        return evaluator.evaluate(ctx);
      },
    };
  };
}
