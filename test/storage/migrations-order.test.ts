import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresMigrations } from '../../src/adapters/storage/postgres/postgres-migrations.ts';
import { sqliteMigrations } from '../../src/adapters/storage/sqlite/sqlite-migrations.ts';

// Both dialects apply the same schema steps, in the same, name-sorted order:
// a database migrated by one release must migrate cleanly under the next.
describe('migrations', () => {
  it('are the same steps in name order on SQLite and PostgreSQL', () => {
    const names = (list: readonly { name: string }[]) => list.map((m) => m.name);
    assert.deepEqual(names(sqliteMigrations), names(postgresMigrations));
    assert.deepEqual(names(sqliteMigrations), [...names(sqliteMigrations)].sort());
    assert.equal(new Set(names(sqliteMigrations)).size, sqliteMigrations.length);
  });
});
