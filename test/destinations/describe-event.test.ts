import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEvent } from '../../src/adapters/destinations/describe-event.ts';
import { EVENT_CATALOGUE, EVENT_TYPES } from '../../src/domain/events/catalogue.ts';
import type { EventEnvelope } from '../../src/domain/events/envelope.ts';

// The one description every human-facing destination renders.

const sample = (type: keyof typeof EVENT_CATALOGUE): EventEnvelope => EVENT_CATALOGUE[type].sample;
const facts = (e: EventEnvelope): Record<string, string> => Object.fromEntries(describeEvent(e).facts.map((f) => [f.label, f.value]));

describe('describeEvent', () => {
  it('gives every catalogue event a headline, a sentence, facts and a severity', () => {
    for (const type of EVENT_TYPES) {
      const d = describeEvent(sample(type));
      assert.equal(d.type, type);
      assert.ok(d.title.length > 0 && d.title.length <= 150, type);
      assert.ok(!d.title.includes(type), `${type} has a written headline, not the fallback`);
      assert.ok(d.summary.length > 0, type);
      assert.ok(d.facts.length > 0, type);
      assert.ok(d.facts.every((f) => f.label !== '' && f.value !== '' && f.value.length <= 300), type);
      assert.ok(['critical', 'error', 'warning', 'info'].includes(d.severity), type);
    }
  });

  it('describes an alert: its summary, figures, owner, action, runbook link and severity', () => {
    const d = describeEvent(sample('alert.triggered'));
    assert.equal(d.summary, 'go.acme.example/spring got 1,240 clicks in 15 min, 6.2x its usual 200');
    assert.equal(d.severity, 'warning');
    assert.equal(d.alert?.fingerprint, 'rule_spike:lnk_01kjth2hky4bca334zxdr9ebmv');
    assert.equal(d.url, 'https://go.acme.example/spring');
    const f = facts(sample('alert.triggered'));
    assert.equal(f.Figures, 'clicks: 1240, threshold 600, over 15m');
    assert.equal(f.Owner, 'Ana Lopez (ana@acme.example)');
    assert.match(f.Action ?? '', /^Check the campaign/);
    assert.ok(d.links.some((l) => l.text === 'Runbook' && l.href === 'https://wiki.acme.example/runbooks/click-spike'));
    assert.equal(describeEvent(sample('alert.resolved')).severity, 'info');
  });

  it('describes clicks, changes, reports and endpoints with their own facts', () => {
    assert.equal(facts(sample('link.clicked')).Country, 'Berlin, Berlin, DE');
    assert.equal(facts(sample('qr.scanned'))['QR code'], 'qr_lnk_01kjth2hky4bca334zxdr9ebmv');
    assert.equal(facts(sample('link.updated'))['Changed: owner'], 'ana@acme.example → ben@acme.example');
    assert.equal(describeEvent(sample('report.summary')).title, 'Report: Weekly campaign summary');
    assert.match(facts(sample('report.summary'))['Top links'] ?? '', /^go\.acme\.example\/spring \(9120\)/);
    assert.equal(facts(sample('endpoint.disabled')).Endpoint, 'CRM webhook (http, hooks.crm.acme.example)');
    assert.equal(describeEvent(sample('link.redirect_failed')).severity, 'error');
  });

  it('still describes an event type it has never heard of', () => {
    const d = describeEvent({ id: 'evt_x', type: 'link.renamed', timestamp: '2026-01-01T00:00:00.000Z', workspace_id: 'ws_1', data: { old_slug: 'a', new_slug: 'b', nested: { deep: { x: 1 } } } });
    assert.equal(d.title, 'link.renamed');
    assert.deepEqual(d.facts, [{ label: 'Old slug', value: 'a' }, { label: 'New slug', value: 'b' }]);
    assert.equal(d.url, null);
  });
});
