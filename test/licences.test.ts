import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// Self-hosters must be able to run linkhook without copyleft-over-the-network
// or source-available terms: no AGPL, SSPL, BUSL or Commons Clause anywhere in
// the installed tree (ua-parser-js 2.x went AGPL — we stay on 1.x for that).
const FORBIDDEN = /AGPL|SSPL|BUSL|Commons[- ]Clause|Elastic-2/i;

function packages(dir: string, out: { name: string; licence: string }[] = []): { name: string; licence: string }[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (entry.startsWith('@')) {
      packages(p, out);
      continue;
    }
    const pj = join(p, 'package.json');
    if (existsSync(pj)) {
      const meta = JSON.parse(readFileSync(pj, 'utf8')) as { name?: string; license?: unknown; licenses?: unknown };
      out.push({ name: meta.name ?? entry, licence: JSON.stringify(meta.license ?? meta.licenses ?? 'UNKNOWN') });
    }
    packages(join(p, 'node_modules'), out);
  }
  return out;
}

describe('dependency licences', () => {
  it('has no AGPL, SSPL or source-available dependency', () => {
    const all = packages(new URL('../node_modules', import.meta.url).pathname);
    assert.ok(all.length > 50, 'node_modules was scanned');
    const bad = all.filter((p) => FORBIDDEN.test(p.licence));
    assert.deepEqual(bad, []);
  });
});
