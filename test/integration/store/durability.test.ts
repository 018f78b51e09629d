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

  /**
   * The synchronous setting each write of a job by this connection ran under, seen by a TEMP trigger (its own);
   * `between` runs just before the store relaxes a commit, as another replica could.
   */
  function watchCommits(between: () => void = () => {}): string[] {
    let mode = 'FULL';
    const ranAt: string[] = [];
    db.function('note_mode', () => ranAt.push(mode));
    for (const event of ['INSERT', 'UPDATE'])
      db.exec(`CREATE TEMP TRIGGER note_${event} AFTER ${event} ON main.jobs BEGIN SELECT note_mode(); END`);
    const pragma = db.pragma.bind(db);
    jest.spyOn(db, 'pragma').mockImplementation((source: string, options?: Database.PragmaOptions) => {
      const setting = /^synchronous = (\w+)$/.exec(source)?.[1];
      if (setting) mode = setting;
      if (setting === 'NORMAL') between();
      return pragma(source, options);
    });
    return ranAt;
  }

  it('opens in WAL mode with every commit fsynced unless it says otherwise', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(synchronous()).toBe(FULL);
  });

  it('commits a pending request without waiting for the disk, and its approval and everything after durably', async () => {
    const ranAt = watchCommits();
    const job = nextJob();
    await store.createJob(job, audit('requested'));
    await store.update(job.id, { cardActivityId: 'act-1' });
    expect(ranAt).toEqual(['NORMAL', 'NORMAL']);
    await store.transition(job.id, ['pending_approval'], 'approved', { approvedBy: BOB }, audit('ok', BOB));
    await store.update(job.id, { cardDirty: true });
    await store.transition(job.id, ['approved'], 'starting', {}, audit('start'));
    expect(ranAt).toEqual(['NORMAL', 'NORMAL', 'FULL', 'FULL', 'FULL']);
    const running = nextJob({ state: 'running', environment: 'elsewhere' });
    await store.createJob(running, audit('imported'));
    expect(ranAt.at(-1)).toBe('FULL');
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

  it('writes durably after all when another replica approves the job just before a relaxed write takes the lock', async () => {
    const job = nextJob();
    await store.createJob(job, audit('requested'));
    const other = new SqliteJobStore(new Database(file.file));
    // the other replica's approval lands between the store reading the state and taking the write lock
    const ranAt = watchCommits(
      () => void other.transition(job.id, ['pending_approval'], 'approved', { approvedBy: BOB }, audit('ok', BOB)),
    );
    try {
      const updated = await store.update(job.id, { cardActivityId: 'act-7' });
      expect(updated).toMatchObject({ state: 'approved', cardActivityId: 'act-7', version: 3 });
      expect(await store.getJob(job.id)).toMatchObject({ state: 'approved', approvedBy: BOB, cardActivityId: 'act-7' });
      expect(ranAt).toEqual(['FULL']);
      expect(synchronous()).toBe(FULL);
    } finally {
      await other.close();
    }
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
