import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapColumns, rowToLinkBody } from '../../src/domain/links/import-row.ts';

describe('CSV import rows', () => {
  it('reads our own column names, tags lists and UTM columns', () => {
    const headers = ['url', 'slug', 'Tags', 'utm_source', 'UTM Medium', 'redirect_type', 'title'];
    const cols = mapColumns(headers);
    const body = rowToLinkBody({ url: 'https://a.example', slug: 'x1', Tags: 'a; b,c', utm_source: 'news', 'UTM Medium': 'email', redirect_type: '301', title: '' }, cols);
    assert.deepEqual(body, { url: 'https://a.example', slug: 'x1', tags: ['a', 'b', 'c'], redirect_type: 301, utm: { source: 'news', medium: 'email' } });
  });

  it('recognises a Bitly export', () => {
    const cols = mapColumns(['title', 'long_url', 'custom_bitlinks', 'tags']);
    const body = rowToLinkBody({ title: 'T', long_url: 'https://b.example', custom_bitlinks: 'bit.ly/spring24', tags: 'x' }, cols);
    assert.deepEqual(body, { title: 'T', url: 'https://b.example', slug: 'spring24', tags: ['x'] });
  });

  it('recognises a Dub export', () => {
    const cols = mapColumns(['key', 'url', 'domain', 'tagNames', 'utm_campaign']);
    const body = rowToLinkBody({ key: 'abc', url: 'https://c.example', domain: 'dub.sh', tagNames: 'p|q', utm_campaign: 'launch' }, cols);
    assert.deepEqual(body, { slug: 'abc', url: 'https://c.example', domain: 'dub.sh', tags: ['p', 'q'], utm: { campaign: 'launch' } });
  });
});
