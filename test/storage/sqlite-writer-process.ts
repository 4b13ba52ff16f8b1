// A separate process writing to a shared SQLite file, for sqlite-shared.test.ts:
// migrate, take the default workspace, write links and click batches, print
// the instance secret. Usage: node --import tsx sqlite-writer-process.ts FILE ROUNDS
import { createSqliteStorage } from '../../src/adapters/storage/sqlite/create-sqlite-storage.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { ensureWorkspace } from '../../src/domain/workspaces/ensure-workspace.ts';
import { makeClick, makeLink } from './fixtures.ts';

const [file, roundsArg] = process.argv.slice(2);
if (!file || !roundsArg) throw new Error('usage: sqlite-writer-process.ts FILE ROUNDS');
const storage = await createSqliteStorage({ file, synchronous: 'NORMAL' });
await storage.migrate();
const ws = await ensureWorkspace(storage, systemClock);
for (let i = 0; i < Number(roundsArg); i++) {
  const link = makeLink(ws.id);
  await storage.transaction((tx) => tx.links.insert(link));
  await storage.clicks.insertMany(Array.from({ length: 50 }, () => makeClick(link)));
}
process.stdout.write(JSON.stringify({ secret: await storage.instanceSecret() }) + '\n');
await storage.close();
