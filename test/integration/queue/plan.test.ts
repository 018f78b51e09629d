import { ALL_TICKED } from '../../../src/migration/checklist';
import { seriesIds, seriesName } from '../../../src/sim/dataverse/seed';
import type { Clock } from '../../../src/migration/types';
import { startOrganisation, type SimOrganisation } from '../../../src/sim/organisation';
import { ADA, cardText, cardVerbs, contentOf, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import { job, requestAndApprove, untilState } from '../../helpers/flow';
import { newCards, pairIds, pairLine, planSummaries, sayPlan } from '../../helpers/plans';

/**
 * A plan of several pairs in one message, through HTTP with the simulator: one plan card, one approval, the
 * pairs run one after the other by the queue, and exactly one summary when the last ends.
 */

const ids = pairIds;
const FIVE = [1, 2, 3, 4, 5];
const summaries = planSummaries;

describe('a plan with the simulated Events API', () => {
  let h: Harness;
  beforeEach(async () => {
    // 60 registrations at 300 a second: a fraction of a second a run
    h = await startHarness({ sim: { speed: 300, registrations: 60 }, env: { APPROVER_IDS: '' } });
  });
  afterEach(async () => {
    await h.close();
  });

  it.each([
    ['newlines', (lines: string[]) => lines.join('\n')],
    ['<br>', (lines: string[]) => lines.join('<br>')],
  ])(
    'five pairs in one message (%s): one plan card, one Approve, all five one after another, one summary',
    async (_how, join) => {
      const { cardId, card, plan, jobIds } = await sayPlan(h, join(['migrate', ...FIVE.map(pairLine)]));
      const text = cardText(card);
      for (const n of FIVE) expect(text).toContain(`${ids(n).from} → ${ids(n).to}`);
      expect(cardVerbs(card)).toEqual(['approve_plan', 'cancel_plan']);
      expect(plan.pairs.map((p) => p.fromEventId)).toEqual(FIVE.map((n) => ids(n).from));
      const jobs = await Promise.all(jobIds.map((id) => job(h, id)));
      expect(jobs.map((j) => [j.state, j.planId, j.planIndex])).toEqual(
        FIVE.map((_, i) => ['pending_approval', plan.id, i]),
      );
      // no card of their own while the plan's stands for them
      await h.app.dispatcher.idle();
      expect(newCards(h)).toHaveLength(1);

      const answer = await h.click(
        'approve_plan',
        { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
        { replyToId: cardId },
      );
      expect(answer.status).toBe(200);
      expect(cardText(answer.body.value)).toMatch(/Approved by Ben Approver/);
      expect(cardVerbs(answer.body.value)).toEqual([]);
      // everyone's copy of the plan card is updated too: no buttons left on it
      const shared = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === cardId).at(-1);
      expect(cardText(contentOf(shared!))).toMatch(/Approved by Ben Approver/);
      expect(cardVerbs(contentOf(shared!))).toEqual([]);

      for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
      // one after another, in the plan's order, each started once
      expect(h.sim.startCalls().map((c) => (c.body as { fromEventId: string }).fromEventId)).toEqual(
        FIVE.map((n) => ids(n).from),
      );
      const done = await Promise.all(jobIds.map((id) => job(h, id)));
      for (let i = 1; i < done.length; i++)
        expect(Date.parse(done[i].startedAt!)).toBeGreaterThanOrEqual(Date.parse(done[i - 1].endedAt!));

      await eventually(() => summaries(h).length === 1, 'the summary');
      const summary = String(summaries(h)[0].activity.text);
      expect(summary).toMatch(/5 of 5 pairs migrated, 0 failed/);
      for (const n of FIVE)
        expect(summary).toMatch(new RegExp(`${ids(n).from}.*${ids(n).to}.*Completed.*60 registrations migrated`));

      // a re-sent approval and another pass of the queue change nothing: no new start, no second summary
      const again = await h.click(
        'approve_plan',
        { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
        { replyToId: cardId },
      );
      expect(cardText(again.body.value)).toMatch(/already decided; nothing changed/);
      await h.app.environments.all()[0].migrations.sweepStuckStarts(60_000);
      await h.app.dispatcher.idle();
      expect(h.sim.startCalls()).toHaveLength(5);
      expect(summaries(h)).toHaveLength(1);
    },
    60_000,
  );

  it('a plan asked while the environment is busy says on its card how many are in line before it', async () => {
    h.sim.setSpeed(1);
    const running = await requestAndApprove(h);
    await untilState(h, running.jobId, ['running']);
    const { card } = await sayPlan(h, ['migrate', pairLine(1), pairLine(2)].join('\n'));
    expect(cardText(card)).toMatch(/In line\s+1 ahead of it/);
  });

  it('an approval sent twice at once approves and starts each pair once', async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', ...[1, 2, 3].map(pairLine)].join('\n'));
    const click = () =>
      h.click('approve_plan', { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED }, { replyToId: cardId });
    const answers = await Promise.all([click(), click()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
    expect(h.sim.startCalls()).toHaveLength(3);
    await eventually(() => summaries(h).length === 1, 'the summary');
    await h.app.dispatcher.idle();
    expect(summaries(h)).toHaveLength(1);
  }, 60_000);

  it('a pair whose start fails does not hold up the plan; the summary counts it failed, once, across a restart', async () => {
    // a second a run: long enough to act while the first one runs
    await h.close();
    h = await startHarness({ sim: { speed: 60, registrations: 60 }, env: { APPROVER_IDS: '' } });
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', ...[1, 2, 3].map(pairLine)].join('\n'));
    await h.click('approve_plan', { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED }, { replyToId: cardId });
    await untilState(h, jobIds[0], ['running']);
    // a 500 is not retried: the second pair's start call fails once
    h.sim.injectFault({ kind: 'start5xx', code: 500, times: 1 });
    await untilState(h, jobIds[1], ['start_failed'], 30_000);
    await untilState(h, jobIds[2], ['running']);
    // the bot restarts while the last pair runs; the summary is still sent once, after it ends
    await h.restart();
    await untilState(h, jobIds[2], ['completed'], 30_000);
    await eventually(() => summaries(h).length === 1, 'the summary');
    const summary = String(summaries(h)[0].activity.text);
    expect(summary).toMatch(/2 of 3 pairs migrated, 1 failed or not run/);
    expect(summary).toMatch(new RegExp(`2\\. \`${ids(2).from}\`.*Could not start`));
    await h.restart();
    await h.app.dispatcher.idle();
    expect(summaries(h)).toHaveLength(1);
  }, 60_000);

  it("the plan card follows its pairs: redrawn as each starts and ends, every pair's state on it", async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', ...[1, 2, 3].map(pairLine)].join('\n'));
    await h.click('approve_plan', { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED }, { replyToId: cardId });
    for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
    await eventually(() => summaries(h).length === 1, 'the summary');
    await h.app.dispatcher.idle();
    const drawn = h.connector.sent
      .filter((s) => s.kind === 'update' && s.activityId === cardId)
      .map((s) => cardText(contentOf(s)));
    const states = (text: string) => [...text.matchAll(/^\d\. .* \((\w[\w ]*)\)$/gm)].map((m) => m[1]);
    // one pair running, the one after it in line, and at the end every pair completed
    expect(drawn.map(states)).toContainEqual(['Completed', 'Running', 'Queued']);
    expect(states(drawn.at(-1)!)).toEqual(['Completed', 'Completed', 'Completed']);
    expect(cardVerbs(contentOf(h.connector.sent.filter((s) => s.activityId === cardId).at(-1)!))).toEqual([]);
  }, 60_000);

  it("the plan card is redrawn when a pair's state changes, not at every progress reading", async () => {
    h.sim.setSpeed(20); // 60 registrations at 20 a second: about 30 status reads a pair at 100 ms
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', pairLine(1), pairLine(2)].join('\n'));
    await h.click('approve_plan', { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED }, { replyToId: cardId });
    for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
    await eventually(() => summaries(h).length === 1, 'the summary');
    await h.app.dispatcher.idle();
    const planRedraws = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === cardId).length;
    expect(h.sim.statusCalls().length).toBeGreaterThan(20);
    // a handful of state changes per pair (queued, approved, running, completed), whatever the number of reads
    expect(planRedraws).toBeLessThanOrEqual(10);
  }, 60_000);

  it('"replace a running migration" ticked on a plan stops no pair of its own: every pair runs', async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', ...[1, 2, 3].map(pairLine)].join('\n'));
    const data = { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED, replaceRunning: 'true' };
    await h.click('approve_plan', data, { replyToId: cardId });
    for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
    expect(h.sim.startCalls()).toHaveLength(3);
  }, 60_000);

  it('the same message delivered again answers the same plan card and stores nothing more', async () => {
    const text = ['migrate', pairLine(1), pairLine(2)].join('\n');
    const first = await sayPlan(h, text, 'plan-message-1');
    const second = await sayPlan(h, text, 'plan-message-1');
    expect(second.plan.id).toBe(first.plan.id);
    expect(await h.app.store.countJobsByState()).toEqual({ pending_approval: 2 });
  });

  it('a pair whose outbound event was migrated already is answered with its line; nothing is stored', async () => {
    const single = await sayPlan(h, ['migrate', pairLine(1), pairLine(2)].join('\n'));
    await h.click(
      'approve_plan',
      { jobId: single.jobIds[0], planId: single.plan.id, ...ALL_TICKED },
      { replyToId: single.cardId },
    );
    for (const id of single.jobIds) await untilState(h, id, ['completed'], 30_000);
    const before = await h.app.store.countJobsByState();
    expect(await h.say(['migrate', pairLine(3), `${ids(2).from} ${ids(4).to}`].join('\n'))).toBe(200);
    const answers = h.connector.texts().filter((t) => t.startsWith('The plan was not stored'));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^The plan was not stored: line 3: .*already been migrated/);
    expect(await h.app.store.countJobsByState()).toEqual(before);
  }, 60_000);

  it('a bad line is answered with its number and the problem; nothing is stored', async () => {
    expect(await h.say(['migrate', pairLine(1), `${ids(2).from} not-an-id`, pairLine(3)].join('<br/>'))).toBe(200);
    expect(h.connector.texts().at(-1)).toMatch(
      /^Line 3 of the plan: The real-time event id "not-an-id" is not a GUID\. Nothing was stored\./,
    );
    expect(newCards(h)).toHaveLength(0);
    expect(await h.app.store.countJobsByState()).toEqual({});
  });

  it('Cancel before approval cancels every pair; nothing starts and no pair posts a card of its own', async () => {
    const { cardId, plan, jobIds } = await sayPlan(
      h,
      `<p>migrate</p>${FIVE.map((n) => `<p>${pairLine(n)}</p>`).join('')}`,
    );
    const answer = await h.click(
      'cancel_plan',
      { jobId: jobIds[0], planId: plan.id },
      { from: ADA, replyToId: cardId },
    );
    expect(cardText(answer.body.value)).toMatch(/Cancelled by Ada Admin/);
    expect(cardVerbs(answer.body.value)).toEqual([]);
    for (const id of jobIds) expect((await job(h, id)).state).toBe('cancelled');
    const late = await h.click(
      'approve_plan',
      { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
      { replyToId: cardId },
    );
    expect(cardText(late.body.value)).toMatch(/already decided/);
    await h.app.dispatcher.idle();
    expect(h.sim.startCalls()).toHaveLength(0);
    expect(newCards(h)).toHaveLength(1);
    expect(summaries(h)).toHaveLength(0);
  });

  it("the approval rules are a single job's: the checklist first, and the card only from its own conversation", async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', pairLine(1), pairLine(2)].join('\n'));
    const unticked = await h.click('approve_plan', { jobId: jobIds[0], planId: plan.id }, { replyToId: cardId });
    expect(cardText(unticked.body.value)).toMatch(/Tick every item of the checklist/);
    const elsewhere = await h.click(
      'approve_plan',
      { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
      { conversationId: 'a:other-chat' },
    );
    expect(elsewhere.status).toBe(403);
    expect((await job(h, jobIds[0])).state).toBe('pending_approval');
    expect((await h.app.store.getPlan(plan.id))?.state).toBe('pending');
  });
});

describe('a plan under the four-eyes rule', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      sim: { speed: 300, registrations: 60 },
      env: { APPROVER_IDS: '', REQUIRE_SECOND_APPROVER: 'true' },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('the requester may not approve their own plan; someone else may', async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', pairLine(1), pairLine(2)].join('\n'));
    const own = await h.click(
      'approve_plan',
      { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
      { from: ADA, replyToId: cardId },
    );
    expect(own.status).toBe(200);
    expect(cardVerbs(own.body.value)).not.toContain('approve_plan');
    expect(cardText(own.body.value)).toMatch(/Ada Admin, a second person must approve this migration/);
    expect((await h.app.store.getPlan(plan.id))?.state).toBe('pending');
    expect(await h.app.store.countJobsByState()).toEqual({ pending_approval: 2 });
    const other = await h.click(
      'approve_plan',
      { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
      { replyToId: cardId },
    );
    expect(cardText(other.body.value)).toMatch(/Approved by Ben Approver/);
    for (const id of jobIds) await untilState(h, id, ['completed'], 30_000);
  }, 60_000);
});

describe("a plan left waiting past its approval's expiry", () => {
  let h: Harness;
  let offsetMs = 0;
  beforeEach(async () => {
    offsetMs = 0;
    const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
    h = await startHarness({
      sim: { speed: 300, registrations: 60 },
      env: { APPROVER_IDS: '', APPROVAL_TTL_MINUTES: '30' },
      overrides: { clock },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  it('expires like a single request: every pair expired, the card says so, Approve changes nothing', async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', ...[1, 2, 3].map(pairLine)].join('\n'));
    offsetMs = 31 * 60_000;
    const approve = () =>
      h.click('approve_plan', { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED }, { replyToId: cardId });
    const answer = await approve();
    expect(answer.status).toBe(200);
    expect(cardText(answer.body.value)).toMatch(/waited too long for approval and has expired/);
    expect(cardText(answer.body.value)).toMatch(/Nobody approved this plan before it expired/);
    expect(cardVerbs(answer.body.value)).toEqual([]);
    // everyone's copy says so too, without buttons
    const shared = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === cardId).at(-1);
    expect(cardText(contentOf(shared!))).toMatch(/Nobody approved this plan before it expired/);
    expect(cardVerbs(contentOf(shared!))).toEqual([]);
    for (const id of jobIds) expect((await job(h, id)).state).toBe('expired');

    const again = await approve();
    expect(cardText(again.body.value)).toMatch(/has expired/);
    const cancel = await h.click(
      'cancel_plan',
      { jobId: jobIds[0], planId: plan.id },
      { from: ADA, replyToId: cardId },
    );
    expect(cardText(cancel.body.value)).toMatch(/Nobody approved this plan before it expired/);
    await h.app.environments.all()[0].migrations.sweepStuckStarts(0);
    await h.app.dispatcher.idle();
    for (const id of jobIds) expect((await job(h, id)).state).toBe('expired');
    expect((await h.app.store.getPlan(plan.id))?.state).toBe('pending');
    expect(h.sim.startCalls()).toHaveLength(0);
    expect(newCards(h)).toHaveLength(1);
    expect(planSummaries(h)).toHaveLength(0);
  });

  it('a plan card drawn after the expiry offers no Approve, before anyone clicked', async () => {
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', pairLine(1), pairLine(2)].join('\n'));
    offsetMs = 31 * 60_000;
    // an unticked Approve is answered with the card as it is now: expired, whatever the checklist
    const answer = await h.click('approve_plan', { jobId: jobIds[0], planId: plan.id }, { replyToId: cardId });
    expect(cardText(answer.body.value)).toMatch(/Nobody approved this plan before it expired/);
    expect(cardVerbs(answer.body.value)).toEqual([]);
  });
});

describe('a plan by names with the simulated Dataverse', () => {
  let org: SimOrganisation;
  let h: Harness;
  beforeAll(async () => {
    org = await startOrganisation({ events: { speed: 1000 } });
    h = await startHarness({ organisation: org, env: { APPROVER_IDS: '' } });
  });
  afterAll(async () => {
    await h.close();
    await org.close();
  });

  it('finds each name, shows each pair with its names and checks, and runs them in order', async () => {
    const line = (n: number) => `"${seriesName(n)} (outbound)" "${seriesName(n)}"`;
    const { cardId, plan, jobIds } = await sayPlan(h, ['migrate', line(3), line(4)].join('\n'));
    expect(plan.pairs.map((p) => [p.fromEventId, p.toEventId])).toEqual([
      [seriesIds(3).outbound, seriesIds(3).realTime],
      [seriesIds(4).outbound, seriesIds(4).realTime],
    ]);
    // the card is redrawn with every pair's checks once they are read: the seeded live journey fails one
    const updated = await eventually(() => {
      const last = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === cardId).at(-1);
      return last && !/Checking in Dataverse/.test(cardText(contentOf(last))) ? contentOf(last) : undefined;
    }, 'the checks on the plan card');
    const text = cardText(updated);
    expect(text).toContain(`1. ${seriesName(3)} (outbound) → ${seriesName(3)}`);
    expect(text).toContain(`2. ${seriesName(4)} (outbound) → ${seriesName(4)}`);
    expect(text.match(/no live journey reacts to new registrations: Checked in Dataverse: failed/g)).toHaveLength(2);
    expect(text).toContain('Override the failed checks');

    // the checks decide as for a single job: refused without the override, nothing moves
    const refused = await h.click(
      'approve_plan',
      { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED },
      { replyToId: cardId },
    );
    expect(cardText(refused.body.value)).toMatch(/override/i);
    expect((await h.app.store.getPlan(plan.id))?.state).toBe('pending');
    expect(h.sim.startCalls()).toHaveLength(0);

    const override = { overrideFailedChecks: 'true', overrideReason: 'journey paused by hand for the plan' };
    const answer = await h.click(
      'approve_plan',
      { jobId: jobIds[0], planId: plan.id, ...ALL_TICKED, ...override },
      { replyToId: cardId },
    );
    expect(cardText(answer.body.value)).toMatch(/Approved by Ben Approver/);
    for (const id of jobIds) await untilState(h, id, ['completed', 'completed_with_errors'], 30_000);
    expect(h.sim.startCalls().map((c) => (c.body as { fromEventId: string }).fromEventId)).toEqual([
      seriesIds(3).outbound,
      seriesIds(4).outbound,
    ]);
    await eventually(() => summaries(h).length === 1, 'the summary');
    const summary = String(summaries(h)[0].activity.text);
    expect(summary).toMatch(/2 of 2 pairs migrated/);
    expect(summary).toContain(`${seriesName(4)} (outbound)`);
  }, 60_000);

  it("a slow Dataverse does not hold the plan's turn: the card is answered at once and filled in after", async () => {
    const line = (n: number) => `${seriesIds(n).outbound} ${seriesIds(n).realTime}`;
    org.dataverse.injectFault({ kind: 'slow', ms: 10_000, times: 1 });
    const before = newCards(h).length;
    const t0 = Date.now();
    expect(await h.say(['migrate', line(6), line(7)].join('\n'), { settle: false })).toBe(200);
    // the turn (and so Teams' wait for it) does not wait for Dataverse: well inside the 10 s it is held
    expect(Date.now() - t0).toBeLessThan(5_000);
    const answered = newCards(h).slice(before);
    expect(answered).toHaveLength(1);
    const cardId = answered[0].id;
    expect(cardText(contentOf(answered[0]))).toMatch(/Checking in Dataverse/);
    const filled = await eventually(
      () => {
        const last = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === cardId).at(-1);
        const text = last ? cardText(contentOf(last)) : '';
        return /Checked in Dataverse|could not be made/.test(text) ? text : undefined;
      },
      'the checks on the plan card',
      30_000,
    );
    expect(filled).not.toMatch(/Checking in Dataverse/);
    org.dataverse.clearFaults();
  }, 40_000);

  it('a name that matches nothing is answered with its line; nothing is stored', async () => {
    const before = await h.app.store.countJobsByState();
    expect(
      await h.say(
        ['migrate', `"${seriesName(5)} (outbound)" "${seriesName(5)}"`, '"No such gala" "Partner day"'].join('\n'),
      ),
    ).toBe(200);
    expect(h.connector.texts().at(-1)).toMatch(/^Line 3 of the plan: No event's name holds "No such gala"/);
    expect(h.connector.texts().at(-1)).toMatch(/Nothing was stored\.$/);
    expect(await h.app.store.countJobsByState()).toEqual(before);
  });
});
