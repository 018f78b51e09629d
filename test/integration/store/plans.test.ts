import type { Plan } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { describeEachStore, type TestDatabase } from '../../helpers/testDatabases';
import { useTempDatabase } from './tempStore';
import { endedJob } from '../../helpers/jobs';

const ADA = { id: 'ada', name: 'Ada Admin' };
const BEN = { id: 'ben', name: 'Ben Approver' };

function plan(id: string, environment = 'default'): Plan {
  return {
    id,
    environment,
    conversationId: 'a:chat',
    requestedBy: ADA,
    requestedAt: '2026-12-02T01:00:00.000Z',
    state: 'pending',
    pairs: [
      { jobId: id, fromEventId: 'f1', toEventId: 't1', fromName: 'Gala' },
      { jobId: `${id}-2`, fromEventId: 'f2', toEventId: 't2' },
    ],
  };
}

describeEachStore('plans: one decision each, one summary each', (kind) => {
  const current = useTempDatabase(kind);
  let db: TestDatabase;
  beforeEach(() => {
    db = current();
  });

  it('keeps a plan across a reopen; the same plan stored twice is the first one', async () => {
    const store = await openStore(db.url);
    expect(await store.createPlan(plan('p1'))).toEqual(plan('p1'));
    const again = await store.createPlan({ ...plan('p1'), pairs: [] });
    expect(again.pairs).toHaveLength(2);
    await store.recordPlanCard('p1', 'card-1');
    await store.close();
    const reopened = await openStore(db.url);
    expect(await reopened.getPlan('p1')).toEqual({ ...plan('p1'), cardActivityId: 'card-1' });
    expect(await reopened.getPlan('nope')).toBeUndefined();
    await reopened.close();
  });

  it('decides a plan once: of two deciders only the first gets it, and cancelled is not approved after', async () => {
    const store = await openStore(db.url);
    await store.createPlan(plan('p1'));
    await store.createPlan(plan('p2'));
    const [a, b] = await Promise.all([
      store.decidePlan('p1', 'approved', BEN, '2026-12-02T01:01:00.000Z'),
      store.decidePlan('p1', 'approved', ADA, '2026-12-02T01:01:01.000Z'),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await store.getPlan('p1'))?.state).toBe('approved');
    expect(await store.decidePlan('p2', 'cancelled', ADA, '2026-12-02T01:02:00.000Z')).toMatchObject({
      state: 'cancelled',
      decidedBy: ADA,
    });
    expect(await store.decidePlan('p2', 'approved', BEN, '2026-12-02T01:03:00.000Z')).toBeUndefined();
    expect((await store.getPlan('p2'))?.state).toBe('cancelled');
    await store.close();
  });

  it('lists the pending plans and the approved ones awaiting their summary, and marks the summary sent for one caller only', async () => {
    const store = await openStore(db.url);
    await store.createPlan(plan('p1'));
    await store.createPlan(plan('p2'));
    await store.createPlan(plan('p3', 'test'));
    await store.decidePlan('p1', 'approved', BEN, '2026-12-02T01:01:00.000Z');
    await store.decidePlan('p3', 'approved', BEN, '2026-12-02T01:01:00.000Z');
    expect((await store.plansAwaitingSummary('default')).map((p) => p.id)).toEqual(['p1']);
    // the undecided ones, for the restart and the sweep to finish an approval cut short
    expect((await store.pendingPlans('default')).map((p) => p.id)).toEqual(['p2']);
    expect(await store.pendingPlans('test')).toEqual([]);
    const marks = await Promise.all([1, 2, 3].map(() => store.markPlanSummarySent('p1', '2026-12-02T02:00:00.000Z')));
    expect(marks.filter(Boolean)).toHaveLength(1);
    expect(await store.plansAwaitingSummary('default')).toEqual([]);
    expect((await store.getPlan('p1'))?.summarySentAt).toBe('2026-12-02T02:00:00.000Z');
    await store.close();
  });

  it("puts the summary in the last job's outbox in the same write, once of several callers", async () => {
    const store = await openStore(db.url);
    const last = await store.createJob(endedJob('completed', { id: 'p1-2', planId: 'p1', planIndex: 1 }), {
      at: '2026-12-02T01:00:00.000Z',
    });
    await store.createPlan(plan('p1'));
    await store.decidePlan('p1', 'approved', BEN, '2026-12-02T01:01:00.000Z');
    const notice = (n: number) => ({
      kind: 'plan_summary' as const,
      summary: { planId: 'p1', pairs: [], migrated: 2, failed: 0 },
      id: `p1-2:plan_summary:${n}`,
      inThread: false,
    });
    const marks = await Promise.all(
      [1, 2, 3].map((n) =>
        store.markPlanSummarySent('p1', '2026-12-02T02:00:00.000Z', { jobId: last.id, notice: notice(n) }),
      ),
    );
    expect(marks.filter(Boolean)).toHaveLength(1);
    const stored = await store.getJob(last.id);
    expect(stored?.outbox.map((n) => n.kind)).toEqual(['plan_summary']);
    expect((await store.jobsWithPendingNotifications()).map((j) => j.id)).toContain(last.id);
    await store.close();
  });
});
