import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasPrefix, newId } from '../../src/domain/shared/ids.ts';

describe('newId', () => {
  it('mints prefixed ULIDs, unique and sorted by time', () => {
    const ids: string[] = [];
    for (let ms = 1_780_000_000_000; ids.length < 5000; ms += ids.length % 3 === 0 ? 1 : 0) ids.push(newId('click', ms));
    for (const id of ids) {
      assert.ok(hasPrefix(id, 'click'));
      assert.match(id, /^clk_[0-9a-hjkmnp-tv-z]{26}$/);
    }
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids, 'monotonic, also within one millisecond');
  });

  it('uses all 32 characters for the random part', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const ch of newId('click', 1_000_000_000_000 + i * 10).slice(14)) seen.add(ch);
    assert.equal(seen.size, 32);
  });
});
