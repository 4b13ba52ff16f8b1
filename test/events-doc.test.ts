import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EVENT_CATALOGUE, EVENT_TYPES, isEventType } from '../src/domain/events/catalogue.ts';

// Keeps docs/events.md and the event catalogue (src/domain/events/catalogue.ts)
// in step, both ways, like test/errors-doc.test.ts does for error codes: an
// event added without docs fails here, so does a documented event that does
// not exist, a sample that does not match its schema, or a doc sample that is
// not the catalogue's.

const doc = readFileSync(new URL('../docs/events.md', import.meta.url), 'utf8');

interface Section {
  body: string;
  cls: string | undefined;
  samples: unknown[];
}

/** type → its `### type` section under "## Event types". */
function documentedEvents(): Map<string, Section> {
  const out = new Map<string, Section>();
  const part = doc.split(/^## Event types$/m)[1] ?? '';
  const catalogue = part.split(/^## /m)[0] ?? '';
  for (const section of catalogue.split(/^### /m).slice(1)) {
    const type = section.split('\n', 1)[0]?.trim().replace(/^`|`$/g, '') ?? '';
    const cls = /^Class: `(\w+)`/m.exec(section)?.[1];
    const samples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? 'null') as unknown);
    out.set(type, { body: section, cls, samples });
  }
  return out;
}

describe('docs/events.md', () => {
  const documented = documentedEvents();

  it('documents every event type of the catalogue, with its class', () => {
    for (const type of EVENT_TYPES) {
      const section = documented.get(type);
      assert.ok(section, `docs/events.md has no "### ${type}" section under "## Event types"`);
      assert.equal(section.cls, EVENT_CATALOGUE[type].class, `docs/events.md gives ${type} another class (or none)`);
    }
  });

  it('documents no event type the catalogue lacks', () => {
    for (const type of documented.keys()) assert.ok(isEventType(type), `docs/events.md documents "${type}", which is not in EVENT_CATALOGUE`);
  });

  it("shows each event's catalogue sample, exactly", () => {
    for (const type of EVENT_TYPES) {
      const samples = documented.get(type)?.samples ?? [];
      assert.equal(samples.length, 1, `section ${type} should have exactly one json sample`);
      assert.deepEqual(samples[0], EVENT_CATALOGUE[type].sample, `the sample of ${type} in docs/events.md differs from the catalogue's`);
    }
  });

  it('names every top-level data field of each event in its section', () => {
    for (const type of EVENT_TYPES) {
      const section = documented.get(type)?.body ?? '';
      for (const field of Object.keys(EVENT_CATALOGUE[type].sample.data)) {
        assert.ok(section.includes(`\`${field}\``), `section ${type} does not explain data field \`${field}\``);
      }
    }
  });

  it('explains the envelope and the Standard Webhooks headers', () => {
    for (const word of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'whsec_', 'workspace_id', '`data.link`', '`data.click`']) {
      assert.ok(doc.includes(word), `docs/events.md does not mention ${word}`);
    }
  });
});

describe('event catalogue', () => {
  it('validates every sample against its schema', () => {
    for (const type of EVENT_TYPES) {
      const { schema, sample } = EVENT_CATALOGUE[type];
      assert.equal(sample.type, type, `the sample of ${type} has type ${sample.type}`);
      assert.match(sample.id, /^evt_[0-9a-z]{26}$/);
      assert.match(sample.workspace_id, /^ws_[0-9a-z]{26}$/);
      assert.equal(new Date(sample.timestamp).toISOString(), sample.timestamp);
      const r = schema.safeParse(sample.data);
      assert.ok(r.success, `${type} sample: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
    }
  });

  it('gives every event about a link data.link, and every click event data.click', () => {
    for (const type of EVENT_TYPES) {
      const { sample } = EVENT_CATALOGUE[type];
      if (type.startsWith('link.') || type === 'qr.scanned') assert.ok(sample.data.link, `${type} has no data.link`);
      if (type === 'link.clicked' || type === 'qr.scanned') assert.ok(sample.data.click, `${type} has no data.click`);
    }
  });

  it('has unique sample ids, snake_case names and a description for each type', () => {
    const ids = EVENT_TYPES.map((t) => EVENT_CATALOGUE[t].sample.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const type of EVENT_TYPES) {
      assert.match(type, /^[a-z]+\.[a-z]+(_[a-z]+)*$/);
      assert.ok(EVENT_CATALOGUE[type].description.length > 20);
    }
  });

  it('refuses what a schema must refuse', () => {
    const created = EVENT_CATALOGUE['link.created'];
    assert.equal(created.schema.safeParse({ ...created.sample.data, extra: 1 }).success, false, 'unknown field');
    const clicked = EVENT_CATALOGUE['link.clicked'];
    assert.equal(clicked.schema.safeParse({ ...clicked.sample.data, click: { ...clicked.sample.data.click, is_qr: true } }).success, false, 'a scan is not a click');
    const updated = EVENT_CATALOGUE['link.updated'];
    assert.equal(updated.schema.safeParse({ ...updated.sample.data, changes: {} }).success, false, 'an update without changes');
    assert.equal(updated.schema.safeParse({ ...updated.sample.data, changes: { nope: { before: 1, after: 2 } } }).success, false, 'an unknown field');
    assert.equal(isEventType('link.nope'), false);
    assert.equal(isEventType(42), false);
  });
});
