import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VisitorHasher } from '../../src/domain/clicks/visitor-hash.ts';

describe('visitor hash', () => {
  const day1 = new Date('2026-03-10T08:00:00Z');
  const laterSameDay = new Date('2026-03-10T23:59:59.999Z');
  const day2 = new Date('2026-03-11T00:00:00Z');

  it('is 32 hex characters and never contains the IP', () => {
    const h = new VisitorHasher('a-long-enough-secret').hash('203.0.113.7', 'UA', day1);
    assert.match(h, /^[0-9a-f]{32}$/);
    assert.ok(!h.includes('203'));
  });

  it('is stable within one UTC day and changes the next', () => {
    const hasher = new VisitorHasher('a-long-enough-secret');
    const a = hasher.hash('203.0.113.7', 'UA', day1);
    assert.equal(hasher.hash('203.0.113.7', 'UA', laterSameDay), a);
    assert.notEqual(hasher.hash('203.0.113.7', 'UA', day2), a);
  });

  it('tells visitors apart by IP and by user agent, with unambiguous field boundaries', () => {
    const hasher = new VisitorHasher('a-long-enough-secret');
    const base = hasher.hash('1.2.3.4', '5x', day1);
    assert.notEqual(hasher.hash('1.2.3.45', 'x', day1), base);
    assert.notEqual(hasher.hash('1.2.3.4', '5y', day1), base);
    assert.notEqual(hasher.hash('1.2.3.4', null, day1), base);
  });

  it('agrees across processes sharing the secret and differs across secrets', () => {
    const a = new VisitorHasher('secret-one-xxxxxxxx').hash('1.2.3.4', 'UA', day1);
    assert.equal(new VisitorHasher('secret-one-xxxxxxxx').hash('1.2.3.4', 'UA', day1), a);
    assert.notEqual(new VisitorHasher('secret-two-xxxxxxxx').hash('1.2.3.4', 'UA', day1), a);
  });

  it('refuses an empty secret', () => {
    assert.throws(() => new VisitorHasher(''));
  });
});
