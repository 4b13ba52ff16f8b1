import { afterEach, beforeEach, describe } from 'node:test';
import type { Storage } from '../../src/domain/ports.ts';
import { analyticsContract } from './contract-analytics.ts';
import { clickContract } from './contract-clicks.ts';
import { deliveryContract } from './contract-deliveries.ts';
import { linkContract } from './contract-links.ts';
import { linkMonitorContract } from './contract-link-monitor.ts';
import { ruleContract } from './contract-rules.ts';
import { storageLevelContract } from './contract-storage.ts';

// The ONE behaviour suite every Storage adapter must pass (hono's
// common.case.test.ts pattern): sqlite.test.ts and postgres.test.ts each run
// it against a fresh, real database per test.

export type OpenStorage = () => Promise<{ storage: Storage; cleanup(): Promise<void> }>;

/** Gives each test a fresh migrated storage; `get()` returns the current one. */
export type CurrentStorage = () => Storage;

export function storageContract(open: OpenStorage): void {
  let current: { storage: Storage; cleanup(): Promise<void> } | undefined;
  const get: CurrentStorage = () => {
    if (!current) throw new Error('no storage open');
    return current.storage;
  };

  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });

  void describe('links', () => linkContract(get));
  void describe('clicks', () => clickContract(get));
  void describe('analytics', () => analyticsContract(get));
  void describe('storage', () => storageLevelContract(get));
  void describe('events and deliveries', () => deliveryContract(get));
  void describe('rules and alerts', () => ruleContract(get));
  void describe('link monitors', () => linkMonitorContract(get));
}
