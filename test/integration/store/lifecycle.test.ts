import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/store/openStore';
import { BOB, ENVIRONMENT, nextJob } from '../../helpers/jobs';
import { describeEachStore, type TestDatabase } from '../../helpers/testDatabases';
import { audit, tempDbFile, useTempDatabase } from './tempStore';

describeEachStore('opening, closing, reopening', (kind) => {
  const current = useTempDatabase(kind);
  let db: TestDatabase;
  beforeEach(() => {
    db = current();
  });

  it('keeps jobs, audit and references across close and reopen', async () => {
    const job = nextJob({ cardDirty: true });
    const first = await openStore(db.url);
    await first.createJob(job, audit('asked'));
    await first.transition(job.id, ['pending_approval'], 'approved', { approvedBy: BOB }, audit('ok', BOB));
    await first.saveConversationReference('conv-1', { conversation: { id: 'conv-1' } });
    await first.markConversationBlocked('conv-2', '403');
    await first.close();

    const again = await openStore(db.url);
    try {
      expect(await again.getJob(job.id)).toMatchObject({ state: 'approved', approvedBy: BOB, version: 2 });
      expect((await again.activeJob(ENVIRONMENT))?.id).toBe(job.id);
      expect((await again.jobsWithPendingNotifications()).map((j) => j.id)).toEqual([job.id]);
      expect((await again.auditTrail(job.id)).map((e) => e.to)).toEqual(['pending_approval', 'approved']);
      expect(await again.getConversationReference('conv-1')).toEqual({ conversation: { id: 'conv-1' } });
      expect(await again.isConversationBlocked('conv-2')).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('reports closed, closes twice without complaint, and refuses work once closed', async () => {
    const store = await openStore(db.url);
    expect(store.isOpen()).toBe(true);
    await store.close();
    await store.close();
    expect(store.isOpen()).toBe(false);
    await expect(store.getJob('x')).rejects.toThrow('the job store is closed');
    await expect(store.createJob(nextJob(), audit())).rejects.toThrow('the job store is closed');
  });
});

describe('SQLite job store: files', () => {
  let db: ReturnType<typeof tempDbFile>;

  beforeEach(() => {
    db = tempDbFile();
  });

  afterEach(() => {
    fs.rmSync(db.dir, { recursive: true, force: true });
  });

  it('creates the folder of a new database file, relative to the working folder', async () => {
    const cwd = process.cwd();
    process.chdir(db.dir);
    try {
      const store = await openStore('sqlite:./data/nested/bot.db');
      await store.close();
    } finally {
      process.chdir(cwd);
    }
    expect(fs.existsSync(path.join(db.dir, 'data', 'nested', 'bot.db'))).toBe(true);
  });

  it('works in memory for quick tests', async () => {
    const store = await openStore('sqlite::memory:');
    const job = nextJob();
    await store.createJob(job, audit());
    expect((await store.getJob(job.id))?.id).toBe(job.id);
    await store.close();
  });

  it('says which stored job is unreadable instead of handing on a broken one', async () => {
    const job = nextJob();
    const store = await openStore(db.url);
    await store.createJob(job, audit());
    const raw = new Database(db.file);
    raw.prepare(`UPDATE jobs SET data = '{"id":1}' WHERE id = ?`).run(job.id);
    raw.close();
    await expect(store.getJob(job.id)).rejects.toThrow(`stored job ${job.id} cannot be read`);
    await store.close();
  });

  it('refuses a database written by a newer bot', async () => {
    const raw = new Database(db.file);
    raw.pragma('user_version = 999');
    raw.close();
    await expect(openStore(db.url)).rejects.toThrow(/schema version 999, newer than this bot knows/);
  });
});
