import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobStore, Person } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { ALICE } from '../../helpers/jobs';

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

export const audit = (note?: string, by: Person = ALICE) => ({ at: '2025-02-01T10:00:00.000Z', by, note });
