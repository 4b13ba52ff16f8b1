import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruCache } from '../../src/http/redirect/lru-cache.ts';
import { hostnameOf } from '../../src/http/redirect/redirect-lookup.ts';

describe('LruCache', () => {
  it('keeps null as a cached answer, distinct from a miss', () => {
    const c = new LruCache<string | null>(10, 1000);
    c.set('gone', null);
    assert.equal(c.get('gone'), null);
    assert.equal(c.get('never'), undefined);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const c = new LruCache<number>(2, 1000);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1); // a is now the most recent
    c.set('c', 3);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), 1);
    assert.equal(c.get('c'), 3);
    assert.equal(c.size, 2);
  });

  it('expires entries a TTL after they were loaded, however often they are hit', () => {
    let now = 0;
    const c = new LruCache<number>(10, 100, () => now);
    c.set('a', 1);
    now = 60;
    assert.equal(c.get('a'), 1);
    now = 100;
    assert.equal(c.get('a'), undefined);
    assert.equal(c.size, 0);
  });

  it('is off with size 0 or TTL 0', () => {
    const a = new LruCache<number>(0, 1000);
    a.set('x', 1);
    assert.equal(a.get('x'), undefined);
    const b = new LruCache<number>(10, 0);
    b.set('x', 1);
    assert.equal(b.get('x'), undefined);
  });

  it('drops matching entries on demand', () => {
    const c = new LruCache<number>(10, 1000);
    c.set('go.example.com/a', 1);
    c.set('go.example.com/b', 2);
    c.set('a', 3);
    c.deleteWhere((k) => k.startsWith('go.example.com/'));
    assert.equal(c.size, 1);
    assert.equal(c.get('a'), 3);
  });
});

describe('hostnameOf', () => {
  it('strips the port and a trailing dot, and lower-cases', () => {
    assert.equal(hostnameOf('Go.Example.COM:8443'), 'go.example.com');
    assert.equal(hostnameOf('go.example.com.'), 'go.example.com');
    assert.equal(hostnameOf('[::1]:8080'), '[::1]');
    assert.equal(hostnameOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostnameOf(''), '');
  });
});
