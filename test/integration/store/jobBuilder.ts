import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Job, JobStore, Person } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';

export const ada: Person = { id: 'u-ada', name: 'Ada', aadObjectId: 'aad-ada' };
export const bob: Person = { id: 'u-bob', name: 'Bob', aadObjectId: 'aad-bob' };

let counter = 0;

/** A pending job; ids and times increase with each call so ordering is predictable. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  counter += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, counter)).toISOString();
  return {
    id: `job-${counter}`,
    environment: 'contoso',
    fromEventId: `from-${counter}`,
    toEventId: `to-${counter}`,
    state: 'pending_approval',
    requestedBy: ada,
    requestedAt: at,
    expiresAt: at,
    stopExistingIfJobRunning: false,
    conversationId: 'conv-1',
    progress: {},
    tracking: { consecutiveErrors: 0, lostContactWarned: false, stallWarned: false, milestonesPosted: [], samples: [] },
    outbox: [],
    cardDirty: false,
    version: 0,
    updatedAt: at,
    ...overrides,
  };
}

export function tempDbFile(): { file: string; url: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  const file = path.join(dir, 'bot.db');
  return { dir, file, url: `sqlite:${file}` };
}

/** A store on a fresh SQLite file for each test, closed and removed after it. */
export function useTempStore(): () => JobStore {
  let store: JobStore | undefined;
  let dir = '';
  beforeEach(async () => {
    const db = tempDbFile();
    dir = db.dir;
    store = await openStore(db.url);
  });
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => store!;
}

export const audit = (note?: string, by: Person = ada) => ({ at: '2025-02-01T10:00:00.000Z', by, note });
