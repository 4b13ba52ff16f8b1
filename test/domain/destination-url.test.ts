import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_URL_LENGTH, checkDestinationUrl, forwardQuery, mergeUtm } from '../../src/domain/links/destination-url.ts';

describe('checkDestinationUrl', () => {
  it('accepts http and https and normalises scheme and host case', () => {
    const r = checkDestinationUrl('url', 'HTTPS://Example.COM/Path?q=1');
    assert.deepEqual(r, { ok: true, url: 'https://example.com/Path?q=1' });
  });

  for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.com/x', 'vbscript:msgbox', 'blob:https://x/1']) {
    it(`refuses the scheme of ${bad.slice(0, 20)}`, () => {
      const r = checkDestinationUrl('url', bad);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.problem.message, /scheme|absolute/);
    });
  }

  it('refuses relative URLs, empty strings and non-strings', () => {
    for (const v of ['/relative', 'example.com', '', '   ', 42, null, undefined]) {
      assert.equal(checkDestinationUrl('url', v).ok, false, String(v));
    }
  });

  it('refuses CR, LF, NUL, tab and other control characters anywhere', () => {
    for (const v of ['https://example.com/\r\nSet-Cookie: a=b', 'https://example.com/%0d%0a\nx', 'https://exa\u0000mple.com', 'https://example.com/\tx', 'https://example.com/\u0085']) {
      const r = checkDestinationUrl('url', v);
      assert.equal(r.ok, false, JSON.stringify(v));
    }
  });

  it('keeps percent-encoded CRLF encoded, so it can never become a header break', () => {
    const r = checkDestinationUrl('url', 'https://example.com/a%0D%0Ab');
    assert.equal(r.ok, true);
    if (r.ok) assert.ok(!/[\r\n]/.test(r.url));
  });

  it('refuses overlong URLs', () => {
    const r = checkDestinationUrl('url', `https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`);
    assert.equal(r.ok, false);
  });

  it('turns IDN hosts into punycode and encodes unicode paths', () => {
    const r = checkDestinationUrl('url', 'https://bücher.example/straße?q=ü');
    assert.equal(r.ok, true);
    if (r.ok) assert.equal(r.url, 'https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC');
  });
});

describe('mergeUtm', () => {
  it('adds utm_* parameters in canonical order', () => {
    assert.equal(mergeUtm('https://example.com/p?x=1', { source: 'news', medium: 'email', campaign: 'spring' }), 'https://example.com/p?x=1&utm_source=news&utm_medium=email&utm_campaign=spring');
  });

  it('keeps a utm parameter the destination already has', () => {
    assert.equal(mergeUtm('https://example.com/?utm_source=ads', { source: 'news', term: 'shoes' }), 'https://example.com/?utm_source=ads&utm_term=shoes');
  });

  it('leaves the URL untouched without UTMs', () => {
    assert.equal(mergeUtm('https://example.com/a', {}), 'https://example.com/a');
  });
});

describe('forwardQuery', () => {
  it('appends incoming parameters after the destination ones', () => {
    assert.equal(forwardQuery('https://example.com/?a=1', new URLSearchParams('b=2&a=3')), 'https://example.com/?a=1&b=2&a=3');
  });

  it('returns the destination as-is when nothing comes in', () => {
    assert.equal(forwardQuery('https://example.com/x#frag', new URLSearchParams()), 'https://example.com/x#frag');
  });
});
