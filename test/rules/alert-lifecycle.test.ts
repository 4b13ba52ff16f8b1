import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { EVENT_CATALOGUE } from '../../src/domain/events/catalogue.ts';
import type { AlertPayload, EventEnvelope } from '../../src/domain/events/envelope.ts';
import type { Storage } from '../../src/domain/ports.ts';
import { RESOLVE_AFTER_CLEAR_EVALUATIONS } from '../../src/domain/rules/alert-lifecycle.ts';
import { STORM_WORST_CASES } from '../../src/domain/rules/alert-messages.ts';
import { STORM_WINDOW_MS } from '../../src/domain/rules/storm-control.ts';
import { acknowledgeAlert, snoozeAlert } from '../../src/domain/rules/manage-alerts.ts';
import type { TestStorage } from '../helpers/test-storage.ts';
import { openTestStorage } from '../helpers/test-storage.ts';
import type { World } from './lifecycle-fixtures.ts';
import { makeWorld } from './lifecycle-fixtures.ts';

// The alert lifecycle end to end over real storage: the worker loop claims
// the rule, a scripted evaluator reports what it "saw", and we read the
// alert rows and the outbox (events + deliveries per endpoint).

const alertOf = (e: EventEnvelope): AlertPayload => e.data.alert as AlertPayload;
const MIN = 60_000;

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`alert lifecycle (${kind})`, () => {
    let ts: TestStorage;
    let s: Storage;
    beforeEach(async () => {
      ts = await openTestStorage(kind);
      s = ts.storage;
    });
    afterEach(async () => ts.cleanup());

    const types = async (w: World, which: 'notify' | 'escalation' | 'bystander') => (await w.sent(w[which])).map((e) => e.type);

    it('a firing observation opens one alert and sends one alert.triggered to the rule endpoint only', async () => {
      const w = await makeWorld(s);
      const [link] = w.links;
      w.script.set(link!.id, true);
      await w.tick();
      const sent = await w.sent(w.notify);
      assert.deepEqual(sent.map((e) => e.type), ['alert.triggered']);
      const event = sent[0]!;
      EVENT_CATALOGUE['alert.triggered'].schema.parse(event.data); // a valid catalogue payload
      const a = alertOf(event);
      assert.equal(a.fingerprint, `${w.rule.id}:${link!.id}`);
      assert.deepEqual(a.owner, { name: 'Growth team', contact: 'growth@example.com' });
      assert.equal(a.action, 'Check the landing page');
      assert.equal(a.severity, 'warning');
      assert.equal(a.value, 600);
      assert.equal(a.threshold, 500);
      assert.equal(a.window, '5m');
      assert.equal(event.data.link?.id, link!.id);
      assert.deepEqual(await types(w, 'bystander'), [], 'an endpoint the rule does not name gets nothing');
      assert.deepEqual(await types(w, 'escalation'), []);
      const open = await s.alerts.listOpen(w.rule.id);
      assert.equal(open.length, 1);
      assert.equal(open[0]!.id, a.id);
    });

    it('the cooldown suppresses repeats; a reminder goes out once it has passed', async () => {
      const w = await makeWorld(s, { rule: { responseTimeMs: null } });
      w.script.set(w.links[0]!.id, true);
      for (let i = 0; i < 10; i++) await w.tick(); // 10 min of firing, cooldown 15 min
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered']);
      for (let i = 0; i < 6; i++) await w.tick(); // 15 min since the first message
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered', 'alert.triggered']);
      const [first, reminder] = (await w.sent(w.notify)).map(alertOf);
      assert.equal(first!.id, reminder!.id, 'a reminder is about the same alert');
      assert.equal((await s.alerts.list(w.wsId, {}, { limit: 10 })).items.length, 1);
    });

    it(`hysteresis: one clear reading does not resolve; ${RESOLVE_AFTER_CLEAR_EVALUATIONS} in a row do, with alert.resolved`, async () => {
      const w = await makeWorld(s);
      const id = w.links[0]!.id;
      for (const firing of [true, false, true, false, true, false]) {
        w.script.set(id, firing);
        await w.tick();
      }
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered'], 'flapping does not notify again');
      assert.equal((await s.alerts.listOpen(w.rule.id)).length, 1);
      await w.tick(); // second clear reading in a row
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered', 'alert.resolved']);
      const [trig, res] = (await w.sent(w.notify)).map(alertOf);
      assert.equal(res!.fingerprint, trig!.fingerprint);
      assert.equal(res!.id, trig!.id);
      assert.equal(res!.status, 'resolved');
      assert.equal(res!.value, 100);
      assert.equal((await s.alerts.getById(w.wsId, trig!.id))?.status, 'resolved');
      // A re-trigger inside the cooldown of the last message opens a new alert silently.
      w.script.set(id, true);
      await w.tick();
      assert.equal((await s.alerts.listOpen(w.rule.id)).length, 1);
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered', 'alert.resolved']);
    });

    it('a subject the evaluator stops reporting counts as clear', async () => {
      const w = await makeWorld(s);
      w.script.set(w.links[0]!.id, true);
      await w.tick();
      w.script.clear();
      await w.tick();
      await w.tick();
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered', 'alert.resolved']);
    });

    it('a snoozed alert sends no reminder, no escalation and no resolution', async () => {
      const w = await makeWorld(s);
      const id = w.links[0]!.id;
      w.script.set(id, true);
      await w.tick();
      const [alert] = await s.alerts.listOpen(w.rule.id);
      await snoozeAlert({ storage: s, clock: w.clock }, w.wsId, alert!.id, { for: '2h' });
      for (let i = 0; i < 40; i++) await w.tick(); // past cooldown and response time
      w.script.set(id, false);
      await w.tick();
      await w.tick();
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered']);
      assert.deepEqual(await types(w, 'escalation'), []);
      assert.equal((await s.alerts.getById(w.wsId, alert!.id))?.status, 'resolved', 'the row still resolves');
    });

    it('escalates an unacknowledged alert once, to the escalation endpoints only', async () => {
      const w = await makeWorld(s, { rule: { cooldownMs: 24 * 60 * MIN } });
      w.script.set(w.links[0]!.id, true);
      await w.tick();
      for (let i = 0; i < 29; i++) await w.tick();
      assert.deepEqual(await types(w, 'escalation'), [], 'not before the response time');
      await w.tick(); // 30 min after the trigger
      for (let i = 0; i < 10; i++) await w.tick();
      const escalated = await w.sent(w.escalation);
      assert.deepEqual(escalated.map((e) => e.type), ['alert.triggered']);
      assert.equal(alertOf(escalated[0]!).escalated, true);
      EVENT_CATALOGUE['alert.triggered'].schema.parse(escalated[0]!.data);
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered'], 'the rule endpoint is not told again');
      assert.ok((await s.alerts.listOpen(w.rule.id))[0]!.escalatedAt);
    });

    it('an acknowledged alert is not escalated', async () => {
      const w = await makeWorld(s);
      w.script.set(w.links[0]!.id, true);
      await w.tick();
      const [alert] = await s.alerts.listOpen(w.rule.id);
      const acked = await acknowledgeAlert({ storage: s, clock: w.clock }, w.wsId, alert!.id, 'api_key:ana');
      assert.equal(acked.acknowledgedBy, 'api_key:ana');
      for (let i = 0; i < 45; i++) await w.tick();
      assert.deepEqual(await types(w, 'escalation'), []);
    });

    it('storm control: 50 subjects tripping at once make ONE message per endpoint; each alert resolves on its own row', async () => {
      const w = await makeWorld(s, { links: 50, rule: { responseTimeMs: null } });
      await s.rules.update({ ...w.rule, endpointIds: [w.notify.id, w.bystander.id] });
      for (const l of w.links) w.script.set(l.id, true);
      await w.tick();
      const sent = await w.sent(w.notify);
      assert.equal(sent.length, 1);
      assert.deepEqual((await w.sent(w.bystander)).map((e) => e.id), [sent[0]!.id], 'the same one message to each endpoint of the rule');
      const group = alertOf(sent[0]!);
      EVENT_CATALOGUE['alert.triggered'].schema.parse(sent[0]!.data);
      assert.equal(group.group?.count, 50);
      assert.equal(group.group?.alert_ids.length, 50);
      assert.equal(group.group?.worst.length, STORM_WORST_CASES);
      assert.equal(group.group?.worst[0]?.link_id, w.links[49]!.id, 'the furthest past the threshold comes first');
      assert.match(group.summary, /^50 links tripped "Launch spike" at once; worst: \//);
      assert.equal(sent[0]!.data.link, undefined);
      assert.equal((await s.alerts.listOpen(w.rule.id)).length, 50);
      // Three links recover: three separate messages (under the storm threshold).
      for (const l of w.links.slice(0, 3)) w.script.set(l.id, false);
      await w.tick();
      await w.tick();
      assert.deepEqual((await w.sent(w.notify)).map((e) => e.type), ['alert.triggered', 'alert.resolved', 'alert.resolved', 'alert.resolved']);
      assert.equal((await s.alerts.listOpen(w.rule.id)).length, 47);
      // The other 47 recover together: one grouped resolution.
      for (const l of w.links) w.script.set(l.id, false);
      await w.tick();
      await w.tick();
      const last = (await w.sent(w.notify)).at(-1)!;
      assert.equal(last.type, 'alert.resolved');
      assert.equal(alertOf(last).group?.count, 47);
      assert.equal((await w.sent(w.notify)).length, 5);
      assert.equal((await s.alerts.list(w.wsId, { status: 'resolved' }, { limit: 100 })).items.length, 50);
    });

    it('storm control groups per window across evaluations: 8 one by one, the batch past 10 grouped at once, later ones held for the window end', async () => {
      // Cooldown 2h: no reminders muddle the count; the storm window is then 15 min.
      const w = await makeWorld(s, { links: 40, rule: { responseTimeMs: null, cooldownMs: 120 * MIN } });
      const fire = (from: number, to: number): void => {
        for (const l of w.links.slice(from, to)) w.script.set(l.id, true);
      };
      fire(0, 8);
      await w.tick(); // window opens here (t+1m) and ends at t+16m
      assert.equal((await w.sent(w.notify)).length, 8, 'under the storm threshold: one by one');
      fire(8, 16);
      await w.tick();
      let sent = await w.sent(w.notify);
      assert.equal(sent.length, 9, 'the batch that passes 10 in the window is ONE message');
      const crossing = alertOf(sent[8]!);
      assert.equal(crossing.group?.count, 8);
      assert.match(crossing.summary, /^8 more links tripped "Launch spike" at once \(16 in 15m\); worst: /);
      fire(16, 26);
      await w.tick();
      fire(26, 36);
      await w.tick();
      assert.equal((await w.sent(w.notify)).length, 9, 'later alerts of the window are held, not sent');
      assert.equal((await s.alerts.listOpen(w.rule.id)).length, 36, 'held alerts are open rows all the same');
      // One held alert clears before the window ends: nobody was told it tripped, so nobody is told it cleared.
      w.script.set(w.links[35]!.id, false);
      await w.tick();
      await w.tick();
      assert.equal((await w.sent(w.notify)).length, 9);
      const storm = await s.alerts.getStorm(w.rule.id, 'triggered');
      assert.equal(storm?.pending.length, 20, 'the held ids are in storage, not in a worker');
      assert.equal(Date.parse(storm.windowEnd) - Date.parse(storm.windowStart), STORM_WINDOW_MS);

      // A restart: a fresh worker loop over the same storage takes over.
      const restarted = w.newEvaluator();
      const tickNew = async (): Promise<void> => {
        w.clock.advance(60_000);
        await restarted.runOnce();
      };
      while (w.clock.now().getTime() < Date.parse(storm.windowEnd) - 60_000) await tickNew();
      assert.equal((await w.sent(w.notify)).length, 9, 'nothing before the window ends');
      await tickNew(); // the window's end
      sent = await w.sent(w.notify);
      assert.equal(sent.length, 10, 'the held alerts go as one grouped message');
      const flushed = alertOf(sent[9]!);
      EVENT_CATALOGUE['alert.triggered'].schema.parse(sent[9]!.data);
      assert.equal(flushed.group?.count, 19);
      const cleared = (await s.alerts.list(w.wsId, { linkId: w.links[35]!.id }, { limit: 5 })).items[0]!;
      assert.equal(cleared.status, 'resolved');
      assert.deepEqual([...flushed.group.alert_ids].sort(), storm.pending.filter((id) => id !== cleared.id).sort());
      assert.match(flushed.summary, /^19 links tripped "Launch spike" in the last 15m; worst: \//);
      assert.equal(flushed.group?.worst[0]?.link_id, w.links[34]!.id, 'the worst case of the held ones first');
      const heldRows = await s.alerts.getMany(w.wsId, flushed.group.alert_ids);
      assert.ok(heldRows.every((a) => a.lastNotifiedAt === w.clock.now().toISOString()), 'flushed alerts count as notified (their resolutions will be sent)');

      // The storm goes on: the flush opened a new window with its grouped message sent, so new trips wait for its end.
      fire(36, 40);
      await tickNew();
      assert.equal((await w.sent(w.notify)).length, 10);
      for (let i = 0; i < 14; i++) await tickNew();
      sent = await w.sent(w.notify);
      assert.equal(sent.length, 11, 'one grouped message per window');
      assert.equal(alertOf(sent[10]!).group?.count, 4);
      assert.match(alertOf(sent[10]!).summary, /^4 links tripped "Launch spike" in the last 15m/);
      // A quiet window later, one resolution goes on its own.
      for (let i = 0; i < 16; i++) await tickNew();
      w.script.set(w.links[0]!.id, false);
      await tickNew();
      await tickNew();
      const last = (await w.sent(w.notify)).at(-1)!;
      assert.equal(last.type, 'alert.resolved');
      assert.equal(alertOf(last).group, undefined);
      assert.equal(alertOf(last).id, (await s.alerts.list(w.wsId, { linkId: w.links[0]!.id }, { limit: 5 })).items[0]!.id);
    });

    it('an alert held by storm control is not escalated before its grouped message went out', async () => {
      // Response time 5 min, shorter than the 15 min storm window.
      const w = await makeWorld(s, { links: 30, rule: { responseTimeMs: 5 * MIN, cooldownMs: 120 * MIN } });
      for (const l of w.links.slice(0, 12)) w.script.set(l.id, true);
      await w.tick(); // 12 at once: grouped, the window's grouped message is out
      for (const l of w.links.slice(12, 20)) w.script.set(l.id, true);
      await w.tick(); // 8 more: held until the window ends
      for (let i = 0; i < 6; i++) await w.tick();
      let escalated = await w.sent(w.escalation);
      assert.deepEqual(escalated.map((e) => alertOf(e).group?.count), [12], 'only the 12 the team was told about');
      for (let i = 0; i < 8; i++) await w.tick(); // the window ends (t+16m): the 8 go out
      const notified = await w.sent(w.notify);
      assert.equal(notified.length, 2, 'the 8 held went out grouped at the window end');
      // Their response time (5 min from the trigger) passed while they were held: they escalate with their grouped message, not before.
      escalated = await w.sent(w.escalation);
      assert.equal(escalated.length, 9, '8 in one evaluation is under the storm threshold: escalated one by one');
      for (const e of escalated.slice(1)) {
        assert.equal(alertOf(e).escalated, true);
        assert.equal(alertOf(e).response_time, '5m');
        assert.equal(e.timestamp, notified[1]!.timestamp);
      }
    });

    it('storm control: with cooldown 0 the window is one evaluation (nothing is held)', async () => {
      const w = await makeWorld(s, { links: 30, rule: { responseTimeMs: null, cooldownMs: 0 } });
      for (const l of w.links.slice(0, 15)) w.script.set(l.id, true);
      await w.tick();
      for (const l of w.links.slice(15, 30)) w.script.set(l.id, true);
      await w.tick();
      const sent = await w.sent(w.notify);
      // Cooldown 0 also re-sends every firing alert each evaluation: 15 reminders join the 15 new ones.
      assert.deepEqual(sent.map((e) => alertOf(e).group?.count), [15, 30]);
      assert.equal((await s.alerts.getStorm(w.rule.id, 'triggered'))?.pending.length, 0);
    });

    it('several workers at once evaluate a due rule once (the claim is a lease)', async () => {
      const w = await makeWorld(s);
      w.script.set(w.links[0]!.id, true);
      w.clock.advance(60_000);
      const runs = await Promise.all([w.evaluator, w.newEvaluator(), w.newEvaluator(), w.newEvaluator()].map((e) => e.runOnce()));
      assert.equal(runs.flat().length, 1);
      assert.deepEqual(await types(w, 'notify'), ['alert.triggered']);
    });

    it("an evaluator may set its rule's own cadence", async () => {
      const w = await makeWorld(s, { everyMs: 5 * MIN });
      w.clock.advance(MIN);
      assert.equal((await w.evaluator.runOnce()).length, 1);
      w.clock.advance(5 * MIN - 1);
      assert.deepEqual(await w.evaluator.runOnce(), []);
      w.clock.advance(1);
      assert.equal((await w.evaluator.runOnce()).length, 1);
    });

    it('the loop evaluates a due rule once per interval, and never a rule it has no evaluator for', async () => {
      const w = await makeWorld(s);
      w.script.set(w.links[0]!.id, true);
      w.clock.advance(60_000);
      const first = await w.evaluator.runOnce();
      assert.equal(first.length, 1);
      assert.deepEqual(await w.evaluator.runOnce(), [], 'scheduled one interval later');
      await s.rules.insert({ ...w.rule, id: `rule_${'0'.repeat(25)}1`, trigger: { type: 'health' } });
      w.clock.advance(60_000);
      assert.deepEqual((await w.evaluator.runOnce()).map((e) => e.rule.id), [w.rule.id]);
    });
  });
}
