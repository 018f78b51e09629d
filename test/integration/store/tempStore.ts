import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobStore, Person } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { ALICE } from '../../helpers/jobs';
import { SQLITE, type StoreKind, type TestDatabase } from '../../helpers/testDatabases';

export function tempDbFile(): { file: string; url: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  const file = path.join(dir, 'bot.db');
  return { dir, file, url: `sqlite:${file}` };
}

/** A fresh database of `kind` for each test, removed after it. */
export function useTempDatabase(kind: StoreKind): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeEach(async () => {
    db = await kind.create();
  });
  afterEach(async () => {
    await db?.drop();
  });
  return () => db!;
}

/** A store on a fresh database for each test (SQLite unless told), closed and removed after it. */
export function useTempStore(kind: StoreKind = SQLITE): () => JobStore {
  let store: JobStore | undefined;
  let db: TestDatabase | undefined;
  beforeEach(async () => {
    db = await kind.create();
    store = await openStore(db.url);
  });
  afterEach(async () => {
    await store?.close();
    await db?.drop();
  });
  return () => store!;
}

export const audit = (note?: string, by: Person = ALICE) => ({ at: '2025-02-01T10:00:00.000Z', by, note });
