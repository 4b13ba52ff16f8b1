import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestIpRanges, isTestVisit } from '../../src/domain/clicks/test-traffic.ts';

describe('test IP ranges', () => {
  it('matches IPv4 CIDRs, including IPv4-mapped IPv6 clients', () => {
    const r = new TestIpRanges(['127.0.0.0/8', '10.1.0.0/16']);
    assert.equal(r.contains('127.0.0.1'), true);
    assert.equal(r.contains('::ffff:127.0.0.1'), true);
    assert.equal(r.contains('10.1.200.3'), true);
    assert.equal(r.contains('10.2.0.1'), false);
    assert.equal(r.contains('8.8.8.8'), false);
  });

  it('matches IPv6 CIDRs and bare addresses', () => {
    const r = new TestIpRanges(['2001:db8::/32', '::1', '198.51.100.7']);
    assert.equal(r.contains('2001:db8:1::5'), true);
    assert.equal(r.contains('2001:db9::1'), false);
    assert.equal(r.contains('::1'), true);
    assert.equal(r.contains('198.51.100.7'), true);
    assert.equal(r.contains('198.51.100.8'), false);
  });

  it('accepts a range written as IPv4-mapped IPv6', () => {
    const r = new TestIpRanges(['::ffff:192.0.2.0/120']);
    assert.equal(r.contains('192.0.2.44'), true);
    assert.equal(r.contains('::ffff:192.0.2.44'), true);
    assert.equal(r.contains('192.0.3.1'), false);
  });

  it('never matches with no ranges, and ignores what is not an IP', () => {
    assert.equal(new TestIpRanges([]).contains('127.0.0.1'), false);
    const r = new TestIpRanges(['0.0.0.0/0']);
    assert.equal(r.contains('not-an-ip'), false);
    assert.equal(r.contains(''), false);
  });

  it('fails loudly on a malformed range', () => {
    assert.throws(() => new TestIpRanges(['10.0.0.0/33']), /LINKHOOK_TEST_IP_RANGES/);
    assert.throws(() => new TestIpRanges(['office']), /office/);
  });
});

describe('isTestVisit', () => {
  const none = new TestIpRanges([]);
  const base = { header: undefined, queryMarker: false, ip: '8.8.8.8', linkIsTest: false };

  it('is false with no signal', () => {
    assert.equal(isTestVisit(base, none), false);
  });

  it('is true for any one signal: header, query marker, IP range, test link', () => {
    assert.equal(isTestVisit({ ...base, header: '1' }, none), true);
    assert.equal(isTestVisit({ ...base, queryMarker: true }, none), true);
    assert.equal(isTestVisit({ ...base, linkIsTest: true }, none), true);
    assert.equal(isTestVisit(base, new TestIpRanges(['8.8.8.0/24'])), true);
  });

  it('ignores a header that does not say 1', () => {
    assert.equal(isTestVisit({ ...base, header: '0' }, none), false);
    assert.equal(isTestVisit({ ...base, header: '' }, none), false);
  });
});
