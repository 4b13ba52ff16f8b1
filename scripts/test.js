#!/usr/bin/env node
// `npm test`: type-check, lint (which enforces the layer rule), then every
// *.test.ts under src/ and test/ with node's own runner. One command, so CI
// and a developer run exactly the same thing.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

if (only.length === 0) {
  run('npx', ['tsc', '--noEmit']);
  run('npx', ['eslint', '.']);
}
const files = only.length > 0 ? only : [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))].sort();
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);
