import { ALL_TICKED } from '../../../src/migration/checklist';
import type { Person } from '../../../src/migration/types';
import { BEN, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { job, untilState } from '../../helpers/flow';
import { pairIds, pairLine, planSummaries, sayPlan } from '../../helpers/plans';

/**
 * A plan's Approve stores the first pair's approval, then the plan's, then each other pair's. A process that
 * stops in between leaves the rest of that work to the restart (or to another replica's sweep): every pair is
 * approved once, runs once, in order, and the plan's one summary follows the last.
 */

const THREE = [1, 2, 3];
const APPROVER: Person = { id: BEN.id, name: BEN.name, aadObjectId: BEN.aadObjectId };

describe('a plan whose approval was cut short', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ sim: { speed: 300, registrations: 60 }, env: { APPROVER_IDS: '' } });
  });
  afterEach(async () => {
    await h.close();
  });

  /** What the Approve turn had stored when its process stopped: the first pair's approval (and maybe the plan's). */
  async function approveFirstOnly(jobIds: string[], planId: string, planToo: boolean) {
    const migrations = h.app.environments.all()[0].migrations;
    const first = await migrations.approve(jobIds[0], APPROVER, { ...ALL_TICKED });
    expect(first.kind).toBe('approved');
    if (planToo) await h.app.store.decidePlan(planId, 'approved', APPROVER, new Date().toISOString());
    for (const id of jobIds.slice(1)) expect((await job(h, id)).state).toBe('pending_approval');
  }

  async function expectEveryPairRunOnceWithOneSummary(jobIds: string[], planId: string) {
    for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
    expect(h.sim.startCalls().map((c) => (c.body as { fromEventId: string }).fromEventId)).toEqual(
      THREE.map((n) => pairIds(n).from),
    );
    const plan = await h.app.store.getPlan(planId);
    expect(plan).toMatchObject({ state: 'approved', decidedBy: { name: BEN.name } });
    for (const id of jobIds) expect((await job(h, id)).approvedBy?.name).toBe(BEN.name);
    await eventually(() => planSummaries(h).length === 1, 'the summary');
    expect(String(planSummaries(h)[0].activity.text)).toMatch(/3 of 3 pairs migrated, 0 failed/);
    // another restart finds nothing left to do
    await h.restart();
    await h.app.dispatcher.idle();
    expect(h.sim.startCalls()).toHaveLength(3);
    expect(planSummaries(h)).toHaveLength(1);
  }

  it.each([
    ['after the first pair was approved', false],
    ['after the first pair and the plan were approved', true],
  ])(
    'a restart %s finishes the approval: each pair runs once, in order, one summary',
    async (_when, planToo) => {
      const { plan, jobIds } = await sayPlan(h, ['migrate', ...THREE.map(pairLine)].join('\n'));
      await approveFirstOnly(jobIds, plan.id, planToo);
      await h.restart();
      await expectEveryPairRunOnceWithOneSummary(jobIds, plan.id);
    },
    60_000,
  );

  it('without a restart, the sweep finishes an approval whose replica stopped half-way', async () => {
    const { plan, jobIds } = await sayPlan(h, ['migrate', ...THREE.map(pairLine)].join('\n'));
    await approveFirstOnly(jobIds, plan.id, false);
    // a sweep that counts nothing as stuck yet leaves the approval to the turn that may still be finishing it
    await h.app.environments.all()[0].migrations.sweepStuckStarts(60 * 60_000);
    expect((await job(h, jobIds[1])).state).toBe('pending_approval');
    await h.app.environments.all()[0].migrations.sweepStuckStarts(0);
    await expectEveryPairRunOnceWithOneSummary(jobIds, plan.id);
  }, 60_000);
});
