import { describe } from 'node:test';
import { engineSuite } from './engine-suite.ts';
import { recoverySuite } from './recovery-suite.ts';

void describe('delivery engine on PostgreSQL', () => {
  engineSuite('postgres');
  recoverySuite('postgres');
});
