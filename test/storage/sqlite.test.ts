import { describe } from 'node:test';
import { openTestStorage } from '../helpers/test-storage.ts';
import { storageContract } from './contract.ts';

void describe('SQLite storage', () => storageContract(() => openTestStorage('sqlite')));
