import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLinkSchema, parseOrThrow, updateLinkSchema } from '../../src/domain/links/link-input.ts';
import { AppError } from '../../src/domain/shared/errors.ts';

function problems(schema: typeof createLinkSchema | typeof updateLinkSchema, body: unknown): { field: string; message: string }[] {
  try {
    parseOrThrow(schema, body);
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'validation_failed');
    assert.equal(err.status, 422);
    return err.details.fields as { field: string; message: string }[];
  }
  assert.fail('expected a validation error');
}

describe('link input', () => {
  it('accepts a full create body', () => {
    const v = parseOrThrow(createLinkSchema, {
      url: 'https://example.com',
      slug: 'spring-sale',
      redirect_type: 308,
      title: 'Spring',
      tags: ['a', 'b'],
      campaign: 'spring',
      utm: { source: 'news', medium: 'email' },
      priority: 'high',
      owner: 'growth@example.com',
      expires_at: '2026-12-31T23:59:00Z',
      expired_url: 'https://example.com/over',
      scheduled_changes: [{ at: '2026-06-01T00:00:00+02:00', url: 'https://example.com/b' }, { at: '2026-07-01T00:00:00Z', action: 'disable' }],
      is_test: false,
      external_id: 'crm-42',
      metadata: { contact_id: 'c_1' },
    });
    assert.equal(v.redirect_type, 308);
  });

  it('names each bad field', () => {
    const fields = problems(createLinkSchema, { url: 'javascript:alert(1)', redirect_type: 303, priority: 'urgent', tags: 'x', slug: 'has space' }).map((p) => p.field);
    for (const f of ['url', 'redirect_type', 'priority', 'tags', 'slug']) assert.ok(fields.includes(f), `${f} in ${fields.join(',')}`);
  });

  it('requires url on create but not on update', () => {
    assert.deepEqual(problems(createLinkSchema, {}).map((p) => p.field), ['url']);
    assert.deepEqual(parseOrThrow(updateLinkSchema, { title: 'x' }), { title: 'x' });
  });

  it('refuses unknown fields, reserved slugs, control characters and non-string metadata', () => {
    assert.equal(problems(createLinkSchema, { url: 'https://a.example', colour: 'red' })[0]?.message, 'unknown field');
    assert.equal(problems(createLinkSchema, { url: 'https://a.example', slug: 'api' })[0]?.field, 'slug');
    assert.equal(problems(createLinkSchema, { url: 'https://a.example', title: 'a\r\nLocation: evil' })[0]?.field, 'title');
    assert.equal(problems(createLinkSchema, { url: 'https://a.example', metadata: { n: 1 } })[0]?.field, 'metadata.n');
    assert.equal(problems(createLinkSchema, { url: 'https://a.example', expires_at: 'tomorrow' })[0]?.field, 'expires_at');
  });
});
