import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteJobStore } from '../../../src/store/sqliteStore';
import { ALICE, BOB, ENVIRONMENT, nextJob } from '../../helpers/jobs';
import { audit, tempDbFile } from './tempStore';

const FULL = 2;

describe('SQLite job store: what a commit waits for', () => {
  let file: ReturnType<typeof tempDbFile>;
  let db: Database.Database;
  let store: SqliteJobStore;

  beforeEach(() => {
    file = tempDbFile();
    db = new Database(file.file);
    store = new SqliteJobStore(db);
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(file.dir, { recursive: true, force: true });
  });

  const synchronous = () => db.pragma('synchronous', { simple: true });

  it('opens in WAL mode with every commit fsynced unless it says otherwise', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(synchronous()).toBe(FULL);
  });

  it('is back at FULL after writing a pending request, so the next write is durable whatever it is', async () => {
    const job = nextJob();
    await store.createJob(job, audit('requested'));
    expect(synchronous()).toBe(FULL);
    await store.update(job.id, { cardActivityId: 'act-1' });
    expect(synchronous()).toBe(FULL);
    await store.saveConversationReference('conv-1', { conversation: { id: 'conv-1' } });
    expect(synchronous()).toBe(FULL);
    await store.transition(job.id, ['pending_approval'], 'approved', { approvedBy: BOB }, audit('ok', BOB));
    expect(synchronous()).toBe(FULL);
  });

  it('is back at FULL after a write that failed', async () => {
    const job = nextJob();
    await store.createJob(job, audit('requested', ALICE));
    await expect(store.createJob(job, audit('again', ALICE))).rejects.toThrow(/already exists/);
    expect(synchronous()).toBe(FULL);
  });

  it("finds the source event's last completed migration through an index, not by reading every job", () => {
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE environment = ? AND from_event_id = ? AND state = 'completed'
         ORDER BY requested_at DESC, rowid DESC LIMIT 1`,
      )
      .all(ENVIRONMENT, 'ev') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX jobs_completed_from/);
  });
});
