import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Link } from '../../src/domain/links/link.ts';
import { resolveVisit } from '../../src/domain/links/resolve-destination.ts';
import { makeLink } from '../storage/fixtures.ts';

function link(over: Partial<Link> = {}): Link {
  return makeLink('ws_1', { slug: 'abc', url: 'https://example.com/a', ...over });
}

const at = (iso: string) => new Date(iso);
const none = new URLSearchParams();

describe('resolveVisit', () => {
  it('redirects with the link type, UTMs merged and the query forwarded', () => {
    const r = resolveVisit(link({ redirectType: 301, utm: { source: 'qr' } }), at('2026-02-01T00:00:00Z'), new URLSearchParams('ref=x'));
    assert.deepEqual(r, { kind: 'redirect', status: 301, location: 'https://example.com/a?utm_source=qr&ref=x' });
  });

  it('is expired from expires_at on, with or without an expired_url', () => {
    const l = link({ expiresAt: '2026-02-01T00:00:00.000Z' });
    assert.equal(resolveVisit(l, at('2026-01-31T23:59:59Z'), none).kind, 'redirect');
    assert.deepEqual(resolveVisit(l, at('2026-02-01T00:00:00Z'), none), { kind: 'expired', location: null });
    assert.deepEqual(resolveVisit({ ...l, expiredUrl: 'https://example.com/over' }, at('2026-03-01T00:00:00Z'), none), { kind: 'expired', location: 'https://example.com/over' });
  });

  it('applies scheduled changes at their time, the latest due one winning', () => {
    const l = link({
      scheduledChanges: [
        { at: '2026-03-01T00:00:00.000Z', url: 'https://example.com/c' },
        { at: '2026-02-01T00:00:00.000Z', url: 'https://example.com/b' },
        { at: '2026-04-01T00:00:00.000Z', action: 'disable' },
      ],
    });
    const loc = (iso: string) => {
      const r = resolveVisit(l, at(iso), none);
      return r.kind === 'redirect' ? r.location : r.kind;
    };
    assert.equal(loc('2026-01-15T00:00:00Z'), 'https://example.com/a');
    assert.equal(loc('2026-02-01T00:00:00Z'), 'https://example.com/b');
    assert.equal(loc('2026-03-15T00:00:00Z'), 'https://example.com/c');
    assert.equal(loc('2026-04-01T00:00:00Z'), 'disabled');
  });
});
