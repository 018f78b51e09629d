import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { BOB, ENVIRONMENT, nextJob } from '../../helpers/jobs';
import { describeEachStore, type TestDatabase } from '../../helpers/testDatabases';
import { audit } from './tempStore';

/** The queue's storage: approval order, and its one move (the first in line into a free slot) made once. */
describeEachStore('the queue of an environment', (kind) => {
  let db: TestDatabase;
  const stores: JobStore[] = [];
  const open = async () => {
    const store = await openStore(db.url);
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    db = await kind.create();
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await db.drop();
  });

  const queue = (store: JobStore, id: string, queuedAt: string) =>
    store.transition(id, ['pending_approval'], 'queued', { approvedBy: BOB, queuedAt }, audit('queued', BOB));
  const promote = (store: JobStore, environment = ENVIRONMENT) =>
    store.promoteNextQueued(environment, { promotedAt: new Date().toISOString() }, audit('from the queue'));

  it('keeps approval order (not request order), and moves the first in line only while the slot is free', async () => {
    const store = await open();
    const [running, early, late, elsewhere] = [nextJob(), nextJob(), nextJob(), nextJob({ environment: 'fabrikam' })];
    for (const job of [running, late, early, elsewhere]) await store.createJob(job, audit());
    await store.transition(running.id, ['pending_approval'], 'approved', {}, audit());
    // `late` was asked for first but approved second
    expect((await queue(store, early.id, '2026-01-01T10:00:00.000Z')).ok).toBe(true);
    expect((await queue(store, late.id, '2026-01-01T10:05:00.000Z')).ok).toBe(true);
    expect((await queue(store, elsewhere.id, '2026-01-01T09:00:00.000Z')).ok).toBe(true);
    expect((await store.queuedJobs(ENVIRONMENT)).map((j) => j.id)).toEqual([early.id, late.id]);
    expect((await store.getJob(early.id))?.queuedAt).toBe('2026-01-01T10:00:00.000Z');

    // the slot is held: nothing moves
    expect(await promote(store)).toBeUndefined();
    expect((await store.getJob(early.id))?.state).toBe('queued');

    await store.transition(running.id, ['approved'], 'starting', {}, audit());
    await store.transition(running.id, ['starting'], 'start_failed', {}, audit());
    const moved = await promote(store);
    expect(moved).toMatchObject({ id: early.id, state: 'approved' });
    expect(moved?.promotedAt).toBeDefined();
    expect((await store.auditTrail(early.id)).map((a) => a.to)).toEqual(['pending_approval', 'queued', 'approved']);
    // held again by the one just moved
    expect(await promote(store)).toBeUndefined();
    expect((await store.queuedJobs(ENVIRONMENT)).map((j) => j.id)).toEqual([late.id]);
    // the other environment has its own slot and its own line
    expect(await promote(store, 'fabrikam')).toMatchObject({ id: elsewhere.id });
  });

  it('moves one job, once, when several processes promote at the same moment', async () => {
    const [one, two] = [await open(), await open()];
    const jobs = [nextJob(), nextJob(), nextJob()];
    for (const [i, job] of jobs.entries()) {
      await one.createJob(job, audit());
      await queue(one, job.id, `2026-01-01T10:0${i}:00.000Z`);
    }
    const results = await Promise.all([promote(one), promote(two), promote(one), promote(two)]);
    const moved = results.filter((r) => r !== undefined);
    expect(moved.map((j) => j!.id)).toEqual([jobs[0].id]);
    expect((await one.auditTrail(jobs[0].id)).filter((a) => a.to === 'approved')).toHaveLength(1);
    expect((await one.queuedJobs(ENVIRONMENT)).map((j) => j.id)).toEqual([jobs[1].id, jobs[2].id]);
  });

  it('takes a cancelled job out of the line', async () => {
    const store = await open();
    const [a, b] = [nextJob(), nextJob()];
    for (const [i, job] of [a, b].entries()) {
      await store.createJob(job, audit());
      await queue(store, job.id, `2026-01-01T10:0${i}:00.000Z`);
    }
    expect((await store.transition(a.id, ['queued'], 'cancelled', {}, audit('cancelled', BOB))).ok).toBe(true);
    expect((await store.queuedJobs(ENVIRONMENT)).map((j) => j.id)).toEqual([b.id]);
    expect(await promote(store)).toMatchObject({ id: b.id });
  });
});
