import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EndpointShare, FAST_MS, FAST_STREAK, overCapDelayMs } from '../../src/worker/delivery-endpoint-share.ts';

// The per-endpoint share of a worker's slots, on explicit times (no sleeping).

/** Runs `n` deliveries of `ep` one after another, each taking `ms`, from t; returns the end time. */
function runMany(share: EndpointShare, ep: string, n: number, ms: number, t = 0): number {
  for (let i = 0; i < n; i++) {
    share.started(ep, t);
    share.finished(ep, t, t + ms);
    t += ms;
  }
  return t;
}

describe('EndpointShare', () => {
  it('gives a quarter of the slots (at least 4) to an endpoint not known to be fast, three quarters to a fast one', () => {
    const share = new EndpointShare(64);
    assert.deepEqual([share.cap, share.fastCap], [16, 48]);
    assert.deepEqual([new EndpointShare(8).cap, new EndpointShare(8).fastCap], [4, 4]);
    assert.deepEqual([new EndpointShare(4).cap, new EndpointShare(4).fastCap], [4, 4]);
    assert.equal(share.limit('ep_new', 0), 16, 'a new endpoint starts small');
  });

  it('trusts an endpoint after FAST_STREAK quick deliveries in a row, and a slow one resets the streak', () => {
    const share = new EndpointShare(64);
    let t = runMany(share, 'ep', FAST_STREAK - 1, 10);
    assert.equal(share.limit('ep', t), 16);
    t = runMany(share, 'ep', 1, 10, t);
    assert.equal(share.limit('ep', t), 48);
    t = runMany(share, 'ep', 1, FAST_MS, t);
    assert.equal(share.limit('ep', t), 16, 'one delivery of FAST_MS or more: back to the small share');
  });

  it('takes the large share back while any running delivery of the endpoint is older than FAST_MS', () => {
    const share = new EndpointShare(64);
    const t = runMany(share, 'ep', FAST_STREAK, 5);
    for (let i = 0; i < 20; i++) share.started('ep', t);
    assert.equal(share.running('ep'), 20);
    assert.ok(share.hasRoom('ep', t + FAST_MS - 1), 'fast: 20 running, room up to 48');
    assert.ok(!share.hasRoom('ep', t + FAST_MS), 'its requests hang: 20 running is over the small share');
    share.finished('ep', t, t + 10);
    assert.equal(share.running('ep'), 19);
  });

  it('lists the endpoints with deliveries running', () => {
    const share = new EndpointShare(16);
    share.started('a', 0);
    share.started('b', 0);
    share.started('b', 1);
    share.finished('a', 0, 2);
    assert.deepEqual(share.busy(), ['b']);
    assert.equal(share.running('b'), 2);
    assert.ok(share.hasRoom('b', 3));
    share.started('b', 3);
    share.started('b', 3);
    assert.ok(!share.hasRoom('b', 3), '4 running, cap 4');
  });

  it('sends an over-cap delivery back for a second, for half its age once older, at most 30 s', () => {
    assert.deepEqual([0, 1500, 2000, 9000, 60_000, 3_600_000].map(overCapDelayMs), [1000, 1000, 1000, 4500, 30_000, 30_000]);
  });
});
