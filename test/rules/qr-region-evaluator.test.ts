import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createQrRegionEvaluator } from '../../src/domain/rules/evaluators/qr-region-evaluator.ts';
import { HOUR, KINDS, MIN, makeRule, useBench } from './evaluator-fixtures.ts';

for (const kind of KINDS) {
  void describe(`qr_region evaluator (${kind})`, () => {
    const open = useBench(kind);
    const evaluator = createQrRegionEvaluator();

    void it('fires on scans from unexpected countries and device types in the last hour, per link', async () => {
      const b = await open();
      const poster = await b.link({ slug: 'poster' });
      const kiosk = await b.link({ slug: 'kiosk' });
      const now = b.clock.now().getTime();
      await b.clicks(poster, now - 30 * MIN, 20, 0, { isQr: true, country: 'DE', deviceType: 'mobile' });
      await b.clicks(poster, now - 20 * MIN, 3, 0, { isQr: true, country: 'BR', deviceType: 'mobile' });
      await b.clicks(poster, now - 20 * MIN, 1, 0, { isQr: true, country: 'us', deviceType: 'desktop' });
      await b.clicks(poster, now - 20 * MIN, 2, 0, { isQr: true, country: null, deviceType: 'mobile' }); // unknown: not unexpected
      await b.clicks(poster, now - 10 * MIN, 5, 0, { isQr: false, country: 'CN' }); // a click, not a scan
      await b.clicks(poster, now - 10 * MIN, 5, 0, { isQr: true, country: 'CN', isTest: true });
      await b.clicks(poster, now - 10 * MIN, 5, 0, { isQr: true, country: 'CN', isBot: true, botReason: 'preview' });
      await b.clicks(kiosk, now - 2 * HOUR, 4, 0, { isQr: true, country: 'FR' }); // outside the hour
      await b.clicks(kiosk, now - 5 * MIN, 4, 0, { isQr: true, country: 'AT', deviceType: 'tablet' });
      const rule = makeRule(b.ws.id, { type: 'qr_region', expected_countries: ['de', 'AT'], expected_devices: ['mobile', 'tablet'] });
      const obs = await b.run(evaluator, rule, [poster, kiosk]);
      assert.deepEqual(obs.map((o) => [o.subject, o.firing, o.value]), [[poster.id, true, 4], [kiosk.id, false, 0]]);
      assert.equal(obs[0]?.summary, 'QR scans of /poster in the last 1h from BR (3), US (1) (expected DE, AT) and on desktop (1) (expected mobile, tablet)');
      b.clock.advance(HOUR);
      assert.equal((await b.run(evaluator, rule, [poster]))[0]?.firing, false);
    });

    void it('checks only the dimensions the rule names', async () => {
      const b = await open();
      const l = await b.link();
      await b.clicks(l, b.clock.now().getTime() - MIN, 2, 0, { isQr: true, country: 'JP', deviceType: 'desktop' });
      const devicesOnly = makeRule(b.ws.id, { type: 'qr_region', expected_devices: ['desktop'] });
      assert.equal((await b.run(evaluator, devicesOnly, [l]))[0]?.firing, false);
      const countriesOnly = makeRule(b.ws.id, { type: 'qr_region', expected_countries: ['DE'] });
      assert.equal((await b.run(evaluator, countriesOnly, [l]))[0]?.value, 2);
    });
  });
}
