import Database from 'better-sqlite3';
import type { JobStore } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { BOB, ENVIRONMENT, nextJob } from '../../helpers/jobs';
import { describeEachStore, onServer, type TestDatabase } from '../../helpers/testDatabases';
import { audit } from './tempStore';

describeEachStore('one migration at a time per environment', (kind) => {
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

  const approve = (store: JobStore, id: string) =>
    store.transition(id, ['pending_approval'], 'approved', { approvedBy: BOB }, audit('approved', BOB));

  it('refuses to approve a second job while one is active, naming the active one', async () => {
    const store = await open();
    const first = nextJob();
    const second = nextJob();
    const otherEnv = nextJob({ environment: 'fabrikam' });
    for (const job of [first, second, otherEnv]) await store.createJob(job, audit());

    expect((await approve(store, first.id)).ok).toBe(true);
    const refused = await approve(store, second.id);
    expect(refused).toMatchObject({ ok: false, reason: 'busy', job: { id: second.id }, active: { id: first.id } });
    expect((await store.getJob(second.id))?.state).toBe('pending_approval');
    expect(await store.auditTrail(second.id)).toHaveLength(1);

    // another environment has its own slot
    expect((await approve(store, otherEnv.id)).ok).toBe(true);
    // the active job itself moves on through the active states
    expect((await store.transition(first.id, ['approved'], 'starting', {}, audit())).ok).toBe(true);
    expect((await store.transition(first.id, ['starting'], 'running', {}, audit())).ok).toBe(true);

    // once it ends, the slot is free
    await store.transition(first.id, ['running'], 'completed', {}, audit());
    expect((await approve(store, second.id)).ok).toBe(true);
  });

  it('lets exactly one of two racing approvals of different jobs through', async () => {
    const store = await open();
    const a = nextJob();
    const b = nextJob();
    await store.createJob(a, audit());
    await store.createJob(b, audit());

    const results = await Promise.all([approve(store, a.id), approve(store, b.id)]);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser).toMatchObject({ reason: 'busy', active: { id: winners[0].job?.id } });
    expect((await store.jobsInStates(['approved'])).map((j) => j.id)).toEqual([winners[0].job?.id]);
  });

  it('holds across two stores on the same database, as in two bot processes', async () => {
    const one = await open();
    const two = await open();
    const a = nextJob();
    const b = nextJob();
    const c = nextJob();
    await one.createJob(a, audit());
    await two.createJob(b, audit());
    await two.createJob(c, audit());

    const results = await Promise.all([approve(one, a.id), approve(two, b.id)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const activeId = (await one.activeJob(ENVIRONMENT))?.id;
    expect((await two.activeJob(ENVIRONMENT))?.id).toBe(activeId);

    // each process sees the other's active job
    expect(await approve(one, c.id)).toMatchObject({ ok: false, reason: 'busy', active: { id: activeId } });
    expect(await approve(two, c.id)).toMatchObject({ ok: false, reason: 'busy', active: { id: activeId } });
  });

  it('refuses to create a job that is already active when another is', async () => {
    const store = await open();
    await store.createJob(nextJob({ state: 'running' }), audit());
    await expect(store.createJob(nextJob({ state: 'approved' }), audit())).rejects.toThrow(/already runs job/);
  });

  it('is enforced by the database itself, whatever code writes to it', async () => {
    const store = await open();
    const running = nextJob({ state: 'running' });
    await store.createJob(running, audit());
    await store.close();
    const intruder = `INSERT INTO jobs (id, environment, state, from_event_id, to_event_id, requested_at, updated_at, version, data)
       VALUES ('intruder', '${ENVIRONMENT}', 'starting', 'f', 't', 'x', 'x', 1, '{}')`;
    if (kind.name === 'SQLite') {
      const raw = new Database(db.file!);
      try {
        expect(() => raw.prepare(intruder).run()).toThrow(/UNIQUE constraint failed/);
      } finally {
        raw.close();
      }
    } else {
      await expect(onServer(db.url, intruder)).rejects.toThrow(/jobs_one_active_per_environment/);
    }
  });
});
