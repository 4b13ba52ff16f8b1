import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import type { HttpReceiver } from '../helpers/http-receiver.ts';
import { answer, startReceiver } from '../helpers/http-receiver.ts';
import { runCli } from '../helpers/run-cli.ts';
import { makeEndpoint } from '../rules/lifecycle-fixtures.ts';
import { makeRule } from '../storage/contract-rules.ts';

// `linkhook rules drill RULE` in a real process over a real SQLite file,
// against real receivers on loopback: one line per endpoint, exit code 0
// only when every endpoint accepted the drill.

describe('linkhook rules drill', () => {
  let dir: string;
  let ok: HttpReceiver;
  let down: HttpReceiver;
  let good: string;
  let bad: string;
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkhook-drill-'));
    env = { LINKHOOK_DATA_DIR: dir, LINKHOOK_OUTBOUND_ALLOW: '127.0.0.0/8' };
    ok = await startReceiver();
    down = await startReceiver(answer(500, 'no'));
    const storage = await createSqliteStorage({ file: join(dir, 'linkhook.db'), synchronous: 'NORMAL' });
    try {
      await storage.migrate();
      const ws = await ensureWorkspace(storage, systemClock);
      const epOk = makeEndpoint(ws.id, { url: ok.url });
      const epDown = makeEndpoint(ws.id, { url: down.url });
      for (const e of [epOk, epDown]) await storage.endpoints.insert(e);
      const r1 = makeRule(ws.id, { endpointIds: [epOk.id], escalationEndpointIds: [] });
      const r2 = makeRule(ws.id, { endpointIds: [epOk.id], escalationEndpointIds: [epDown.id] });
      for (const r of [r1, r2]) await storage.rules.insert(r);
      good = r1.id;
      bad = r2.id;
    } finally {
      await storage.close();
    }
  });
  after(async () => {
    await ok.close();
    await down.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when every endpoint accepted the drill', async () => {
    const r = await runCli(['rules', 'drill', good], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(notify\): accepted \(HTTP 200\)/);
    assert.match(r.stdout, /every endpoint accepted it/);
    const body = JSON.parse(ok.requests.at(-1)!.body);
    assert.equal(body.data.alert.is_drill, true);
  });

  it('exits 1 and names the endpoint that refused', async () => {
    const r = await runCli(['rules', 'drill', bad], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /\(escalation\): REFUSED: http_status/);
    assert.equal(down.requests.length, 1);
  });

  it('reports an unknown rule as not found', async () => {
    const r = await runCli(['rules', 'drill', 'rule_01kjses2s46kkbyhta7ps7hx2e'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not_found/);
  });
});
