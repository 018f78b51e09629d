import type { JobStore } from '../../../src/migration/types';
import { BOB, ENVIRONMENT, nextJob } from '../../helpers/jobs';
import { describeEachStore } from '../../helpers/testDatabases';
import { audit, useTempStore } from './tempStore';

describeEachStore('jobs', (kind) => {
  const current = useTempStore(kind);
  let store: JobStore;
  beforeEach(() => {
    store = current();
  });

  it('gives back a created job, as a copy the caller cannot change in the store', async () => {
    const job = nextJob({ outbox: [] });
    const created = await store.createJob(job, audit('asked'));
    expect(created).toEqual({ ...job, version: 1 });

    created.state = 'running';
    created.outbox.push({ id: 'n', kind: 'milestone', percent: 25, progress: {}, inThread: true });
    job.fromEventId = 'changed by the caller';

    const read = await store.getJob(job.id);
    expect(read?.state).toBe('pending_approval');
    expect(read?.outbox).toEqual([]);
    expect(read?.fromEventId).not.toBe('changed by the caller');
    expect(await store.getJob('no-such-job')).toBeUndefined();
  });

  it('refuses a second job with the same id', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    await expect(store.createJob(job, audit())).rejects.toThrow(`job ${job.id} already exists`);
  });

  it('moves a job from an expected state, applying the patch and bumping the version', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    const at = '2025-03-01T08:00:00.000Z';
    const result = await store.transition(
      job.id,
      ['pending_approval'],
      'approved',
      { approvedBy: BOB, approvedAt: at },
      {
        at,
        by: BOB,
      },
    );
    expect(result.ok).toBe(true);
    const stored = await store.getJob(job.id);
    expect(stored).toMatchObject({ state: 'approved', approvedBy: BOB, approvedAt: at, version: 2, updatedAt: at });
    expect(result.job).toEqual(stored);
  });

  it('does not move a job that is not in an expected state, and writes nothing', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    const result = await store.transition(job.id, ['approved'], 'starting', { lastError: 'x' }, audit('start'));
    expect(result).toEqual({ ok: false, reason: 'state', job: { ...job, version: 1 } });
    expect(await store.getJob(job.id)).toEqual({ ...job, version: 1 });
    expect(await store.auditTrail(job.id)).toHaveLength(1);

    const missing = await store.transition('no-such-job', ['pending_approval'], 'cancelled', {}, audit());
    expect(missing).toEqual({ ok: false, reason: 'state', job: undefined });
  });

  it('lets only one of two identical transitions through (a double click, a re-sent invoke)', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    const move = () => store.transition(job.id, ['pending_approval'], 'approved', { approvedBy: BOB }, audit());
    const results = await Promise.all([move(), move()]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'state', job: { state: 'approved' } });
    expect(await store.auditTrail(job.id)).toHaveLength(2);
  });

  it('keeps id, state and version out of a patch', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    const sneaky = { id: 'other', state: 'running', version: 99, lastError: 'ok' } as never;
    const result = await store.transition(job.id, ['pending_approval'], 'cancelled', sneaky, audit());
    expect(result.job).toMatchObject({ id: job.id, state: 'cancelled', version: 2, lastError: 'ok' });
    const updated = await store.update(job.id, sneaky);
    expect(updated).toMatchObject({ id: job.id, state: 'cancelled', version: 3 });
    expect(await store.getJob('other')).toBeUndefined();
  });

  it('updates other fields with optimistic concurrency', async () => {
    const job = nextJob();
    await store.createJob(job, audit());
    const first = await store.update(job.id, { cardActivityId: 'act-1', progress: { processed: 5 } }, 1);
    expect(first).toMatchObject({ cardActivityId: 'act-1', progress: { processed: 5 }, version: 2 });

    expect(await store.update(job.id, { cardActivityId: 'stale' }, 1)).toBeUndefined();
    expect(await store.update('no-such-job', { cardActivityId: 'x' })).toBeUndefined();
    expect((await store.getJob(job.id))?.cardActivityId).toBe('act-1');

    const cleared = await store.update(job.id, { cardActivityId: undefined });
    expect(cleared?.cardActivityId).toBeUndefined();
    expect((await store.getJob(job.id))?.version).toBe(3);
  });

  it('finds the jobs with something to tell Teams, and forgets them once delivered', async () => {
    const quiet = nextJob();
    const dirty = nextJob({ cardDirty: true });
    const notice = { id: 'n1', kind: 'milestone' as const, percent: 25, progress: {}, inThread: true };
    const withOutbox = nextJob({ outbox: [notice] });
    for (const job of [quiet, dirty, withOutbox]) await store.createJob(job, audit());

    const pendingIds = async () => (await store.jobsWithPendingNotifications()).map((j) => j.id).sort();
    expect(await pendingIds()).toEqual([dirty.id, withOutbox.id].sort());

    await store.update(dirty.id, { cardDirty: false });
    await store.update(withOutbox.id, { outbox: [] });
    await store.transition(quiet.id, ['pending_approval'], 'cancelled', { cardDirty: true }, audit());
    expect(await pendingIds()).toEqual([quiet.id]);
  });

  it('lists an environment newest first, up to the limit', async () => {
    const jobs = [nextJob(), nextJob(), nextJob(), nextJob({ environment: 'fabrikam' })];
    // created out of order: the list follows requestedAt, not insertion
    for (const job of [jobs[1], jobs[0], jobs[3], jobs[2]]) await store.createJob(job, audit());
    expect((await store.listJobs(ENVIRONMENT, 10)).map((j) => j.id)).toEqual([jobs[2].id, jobs[1].id, jobs[0].id]);
    expect((await store.listJobs(ENVIRONMENT, 2)).map((j) => j.id)).toEqual([jobs[2].id, jobs[1].id]);
    expect(await store.listJobs('nowhere', 10)).toEqual([]);
  });

  it('answers which job is active, which are in given states, and the last completed move of an event', async () => {
    const done = nextJob({ fromEventId: 'ev', state: 'completed' });
    const failed = nextJob({ fromEventId: 'ev', state: 'failed' });
    const running = nextJob({ state: 'running' });
    const elsewhere = nextJob({ environment: 'fabrikam', fromEventId: 'ev', state: 'completed' });
    for (const job of [done, failed, running, elsewhere]) await store.createJob(job, audit());

    expect((await store.activeJob(ENVIRONMENT))?.id).toBe(running.id);
    expect(await store.activeJob('empty-env')).toBeUndefined();
    expect((await store.jobsInStates(['running', 'failed'])).map((j) => j.id)).toEqual([failed.id, running.id]);
    expect((await store.lastCompletedFrom(ENVIRONMENT, 'ev'))?.id).toBe(done.id);
    expect(await store.lastCompletedFrom(ENVIRONMENT, 'other-ev')).toBeUndefined();
  });
});
