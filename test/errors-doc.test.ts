import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../src/domain/shared/errors.ts';

// Keeps docs/errors.md and the catalogue in src/domain/shared/errors.ts in
// step, both ways, like fastify's test for docs/Reference/Errors.md: a code
// added without docs fails here, and so does a documented code that no longer
// exists or whose status changed.

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** code → status as written under each `### code` heading of the doc. */
function documentedCodes(): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const sections = doc.split(/^### /m).slice(1);
  for (const section of sections) {
    const code = section.split('\n', 1)[0]?.trim() ?? '';
    const status = /^Status: (\d{3})$/m.exec(section)?.[1];
    out.set(code, status === undefined ? null : Number(status));
  }
  return out;
}

describe('docs/errors.md', () => {
  const documented = documentedCodes();

  it('documents every code of the catalogue with its status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.ok(documented.has(code), `docs/errors.md has no "### ${code}" section`);
      assert.equal(documented.get(code), status, `docs/errors.md gives ${code} a different status (or none)`);
    }
  });

  it('documents no code the catalogue lacks', () => {
    for (const code of documented.keys()) {
      assert.ok(Object.hasOwn(ERROR_CODES, code), `docs/errors.md documents "${code}", which is not in ERROR_CODES`);
    }
  });

  it('tells the reader what to do about each code', () => {
    for (const section of doc.split(/^### /m).slice(1)) {
      const code = section.split('\n', 1)[0]?.trim();
      assert.match(section, /^What to do: /m, `section ${code} has no "What to do:" line`);
    }
  });

  it('gives every catalogue entry a description and an HTTP error status', () => {
    for (const [code, { status, description }] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^[a-z]+(_[a-z]+)*$/, `${code} is not snake_case`);
      assert.ok(status >= 400 && status <= 599, `${code} has status ${status}`);
      assert.ok(description.length > 10, `${code} has no description`);
    }
  });
});
