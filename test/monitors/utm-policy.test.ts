import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bulkCreateLinks } from '../../src/domain/links/bulk-create-links.ts';
import { updateLink } from '../../src/domain/links/update-link.ts';
import { createUtmPolicyEvaluator } from '../../src/domain/rules/evaluators/utm-policy-evaluator.ts';
import type { UtmPolicy } from '../../src/domain/rules/utm-policy.ts';
import { checkUtmPolicy, utmUsageOf } from '../../src/domain/rules/utm-policy.ts';
import type { MonitorWorld } from './monitor-fixtures.ts';
import { forLink, observationOf, openWorld } from './monitor-fixtures.ts';

// The UTM policy: the pure check (what is wrong, and the fix), then the same
// policy stored as a `utm_policy` rule and applied when links are written
// (link.utm_incomplete in the link's transaction) and by the rule evaluator.

type Problem = { key: string; problem: string; value: string | null; suggestion: string | null; message: string };
const brief = (ps: readonly Problem[]) => ps.map((p) => `${p.key}:${p.problem}:${p.value ?? '-'}->${p.suggestion ?? '?'}`);

describe('checkUtmPolicy', () => {
  const policy: UtmPolicy = { required: ['source', 'medium', 'campaign'], allowed: { medium: ['email', 'social', 'cpc'] }, patterns: { content: '^v[0-9]+$' }, case: 'lower', separator: '-' };

  it('says what is missing and suggests a value: the link campaign, or the most used value', () => {
    const usage = utmUsageOf([{ source: 'newsletter', medium: 'email' }, { source: 'newsletter' }, { source: 'partner' }]);
    assert.deepEqual(brief(checkUtmPolicy({}, policy, usage, 'Spring Sale')), ['source:missing:-->newsletter', 'medium:missing:-->email', 'campaign:missing:-->spring-sale']);
  });

  it('fixes case and separators, maps a value to the allowed one it spells, and checks patterns', () => {
    const problems = checkUtmPolicy({ source: 'News Letter', medium: 'E-mail', campaign: 'spring_sale', content: 'banner' }, policy);
    assert.deepEqual(brief(problems), [
      'source:case:News Letter->news-letter',
      'medium:case:E-mail->e-mail',
      'medium:not_allowed:E-mail->email',
      'campaign:separator:spring_sale->spring-sale',
      'content:pattern:banner->?',
    ]);
    assert.match(problems[2]?.message ?? '', /not one of the allowed values \("email", "social", "cpc"\): use "email"/);
  });

  it('reports another spelling of a campaign other links use, with the canonical one', () => {
    const usage = utmUsageOf([{ campaign: 'Spring-Sale' }, { campaign: 'Spring-Sale' }, { campaign: 'Spring-Sale' }, { campaign: 'springsale' }, { campaign: 'summer' }]);
    // No case or separator convention: the most used spelling is the canonical one.
    for (const spelling of ['spring_sale', 'springsale', 'SPRING SALE']) {
      assert.deepEqual(brief(checkUtmPolicy({ campaign: spelling }, {}, usage)), [`campaign:duplicate:${spelling}->Spring-Sale`]);
    }
    assert.deepEqual(checkUtmPolicy({ campaign: 'Spring-Sale' }, {}, usage), []);
    // With conventions, the canonical form follows them, even if fewer links use it yet.
    assert.deepEqual(brief(checkUtmPolicy({ campaign: 'springsale' }, { case: 'lower', separator: '-' }, usage)), ['campaign:duplicate:springsale->spring-sale']);
  });
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`UTM policy rules on ${kind}`, () => {
    let w: MonitorWorld;
    before(async () => {
      w = await openWorld(kind);
      const policy = w.rule({ type: 'utm_policy', required: ['source', 'medium', 'campaign'], case: 'lower', separator: '-' }, { campaign: 'spring' });
      await w.storage.rules.insert(policy);
      // A disabled policy is no policy.
      await w.storage.rules.insert({ ...w.rule({ type: 'utm_policy', required: ['term'] }), enabled: false });
    });
    after(async () => {
      await w.close();
    });

    const incomplete = async (linkId: string) => forLink(await w.events('link.utm_incomplete'), linkId);

    it('emits link.utm_incomplete with the problems and their fixes when a link in scope is created', async () => {
      const link = await w.link({ url: 'https://shop.example/a', campaign: 'spring', utm: { source: 'Newsletter' } });
      const events = await incomplete(link.id);
      assert.equal(events.length, 1);
      const data = events[0]?.data as { missing: string[]; required: string[]; problems: Problem[] };
      assert.deepEqual(data.missing, ['medium', 'campaign']);
      assert.deepEqual(data.required, ['source', 'medium', 'campaign']);
      assert.deepEqual(brief(data.problems), ['source:case:Newsletter->newsletter', 'medium:missing:-->?', 'campaign:missing:-->spring']);
      // Out of the policy's scope, or compliant: nothing.
      const other = await w.link({ url: 'https://shop.example/b', campaign: 'autumn' });
      const fine = await w.link({ url: 'https://shop.example/c', campaign: 'spring', utm: { source: 'newsletter', medium: 'email', campaign: 'spring' } });
      assert.equal((await incomplete(other.id)).length, 0);
      assert.equal((await incomplete(fine.id)).length, 0);
    });

    it('re-checks on update only when utm or campaign change', async () => {
      const link = await w.link({ url: 'https://shop.example/d', campaign: 'spring', utm: { source: 'newsletter', medium: 'email', campaign: 'spring' } });
      await updateLink(w.linkDeps, w.workspaceId, link.id, { utm: { source: 'newsletter', medium: 'Email', campaign: 'spring' } });
      assert.equal((await incomplete(link.id)).length, 1);
      await updateLink(w.linkDeps, w.workspaceId, link.id, { title: 'New title' });
      assert.equal((await incomplete(link.id)).length, 1, 'a title change is not a new UTM problem');
    });

    it('checks every link of a bulk create (and so of a CSV import)', async () => {
      const rows = await bulkCreateLinks(w.linkDeps, w.workspaceId, [
        { url: 'https://shop.example/e', campaign: 'spring', utm: { source: 'ads' } },
        { url: 'https://shop.example/f', campaign: 'spring', utm: { source: 'ads', medium: 'cpc', campaign: 'spring' } },
      ]);
      const [bad, good] = rows.map((r) => (r.ok ? r.link.id : ''));
      assert.equal((await incomplete(bad as string)).length, 1);
      assert.equal((await incomplete(good as string)).length, 0);
    });

    it('the evaluator reports stored links that break the rule, firing while they do', async () => {
      const rule = w.rule({ type: 'utm_policy', required: ['source'], separator: '-' });
      const broken = await w.link({ url: 'https://shop.example/g', utm: { source: 'radio_ads' } });
      const ok = await w.link({ url: 'https://shop.example/h', utm: { source: 'radio-ads' } });
      const obs = await createUtmPolicyEvaluator().evaluate(w.ctx(rule, [broken, ok]));
      const o = observationOf(obs, broken.id);
      assert.equal(o.firing, true);
      assert.match(o.summary, /use "radio-ads"/);
      assert.equal(observationOf(obs, ok.id).firing, false);
    });
  });
}
