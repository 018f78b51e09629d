import { environmentKey } from '../../../src/events-api';
import type { Clock } from '../../../src/migration/types';
import {
  ADA,
  ALL_TICKED,
  BEN,
  CAT,
  cardText,
  cardToggles,
  cardVerbs,
  eventually,
  FROM_EVENT,
  startHarness,
  TO_EVENT,
  type Harness,
  type InvokeBody,
  type TeamsUser,
  jobIdIn,
} from '../../helpers/botHarness';
import { lastCardContent, request, type Requested } from '../../helpers/flow';

/**
 * Approve and Cancel as Teams sends them (invoke `adaptiveCard/action`, toggles merged into the data), through
 * the bot's server: who may, when, how often, and how many start calls reach the simulator.
 */

const ask = (h: Harness, by: TeamsUser = ADA) => request(h, { by });

const click = (h: Harness, verb: string, a: Requested, from: TeamsUser, inputs: Record<string, unknown> = ALL_TICKED) =>
  h.click(verb, { jobId: a.jobId, ...inputs }, { from, replyToId: a.cardId });

const stateOf = async (h: Harness, id: string) => (await h.app.store.getJob(id))?.state;
const answerText = (answer: { body: InvokeBody }) => cardText(answer.body.value);
const lastUpdateText = (h: Harness, cardId: string) => cardText(lastCardContent(h, cardId));

/** Lets the work queued after the turn (start call, card refresh) finish, so a count of calls is final. */
async function settle(h: Harness): Promise<void> {
  await h.app.afterTurn.drain();
  await h.app.dispatcher.idle();
}

describe('refused approvals: a card naming the reason, the job stays pending, nothing is called', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('with checklist items unticked: the card lists the missing ones and keeps what was ticked', async () => {
    h = await startHarness();
    const a = await ask(h);
    const answer = await click(h, 'approve', a, BEN, {
      ...ALL_TICKED,
      outboundEventIsDraft: 'false',
      manualFollowUpAccepted: 'false',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = answerText(answer);
    expect(text).toMatch(/Tick every item of the checklist before approving/);
    // one missing item a line (a markdown list), never run together as ".;" fragments
    expect(text).toMatch(/Missing:\r- The outbound event is in draft state[^\r]*\r- Waitlisted registrations/);
    expect(text).not.toContain('.;');
    expect(text).not.toMatch(/Missing:[^]*Trigger-based journeys/);
    expect(cardVerbs(answer.body.value)).toContain('approve');
    expect(cardToggles(answer.body.value)).toMatchObject({
      rtmEventIsMinimalDraft: true,
      outboundEventIsDraft: false,
      journeysDisabled: true,
      manualFollowUpAccepted: false,
    });
    await settle(h);
    expect(await stateOf(h, a.jobId)).toBe('pending_approval');
    expect(h.sim.calls).toEqual([]);
  });

  it('by someone not in APPROVER_IDS', async () => {
    h = await startHarness({ env: { APPROVER_IDS: BEN.aadObjectId.toUpperCase() } });
    const a = await ask(h);
    const refused = await click(h, 'approve', a, CAT);
    expect(answerText(refused)).toMatch(/Cat Colleague, you are not in the approver list \(APPROVER_IDS\)/);
    await settle(h);
    expect(await stateOf(h, a.jobId)).toBe('pending_approval');
    expect(h.sim.calls).toEqual([]);

    await click(h, 'approve', a, BEN);
    await eventually(() => h.sim.startCalls().length === 1, 'the listed approver starts it');
  });

  it('by the requester when REQUIRE_SECOND_APPROVER=true', async () => {
    h = await startHarness({ env: { REQUIRE_SECOND_APPROVER: 'true' } });
    const a = await ask(h, ADA);
    const refused = await click(h, 'approve', a, ADA);
    expect(answerText(refused)).toMatch(/Ada Admin, a second person must approve this migration/);
    await settle(h);
    expect(await stateOf(h, a.jobId)).toBe('pending_approval');
    expect(h.sim.calls).toEqual([]);

    await click(h, 'approve', a, BEN);
    await eventually(() => h.sim.startCalls().length === 1, 'a second person starts it');
  });

  it('after the card expired (APPROVAL_TTL_MINUTES): the card says so and nothing can start it', async () => {
    let offsetMs = 0;
    const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
    h = await startHarness({ env: { APPROVAL_TTL_MINUTES: '30' }, overrides: { clock } });
    const a = await ask(h);
    offsetMs = 31 * 60_000;
    const answer = await click(h, 'approve', a, BEN);
    expect(answerText(answer)).toMatch(/expired/i);
    expect(cardVerbs(answer.body.value)).not.toContain('approve');
    await settle(h);
    expect(await stateOf(h, a.jobId)).toBe('expired');
    expect(lastUpdateText(h, a.cardId)).toMatch(/Nobody approved this request before it expired/);
    expect(h.sim.calls).toEqual([]);
  });
});

describe('one approval, one start', () => {
  let h: Harness;
  beforeEach(async () => {
    // Slow enough that the job is still running when the test counts calls.
    h = await startHarness({ sim: { speed: 2, registrations: 1000 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('a second click shows the current state and starts nothing more', async () => {
    const a = await ask(h);
    const first = await click(h, 'approve', a, BEN);
    expect(answerText(first)).toMatch(/Approved by Ben Approver/);
    await eventually(async () => (await stateOf(h, a.jobId)) === 'running', 'the job running');
    const second = await click(h, 'approve', a, CAT);
    expect(answerText(second)).toMatch(/^Running$/m);
    expect(answerText(second)).toMatch(/Approved by\nBen Approver/);
    expect(cardVerbs(second.body.value)).not.toContain('approve');
    await settle(h);
    expect(h.sim.startCalls()).toHaveLength(1);
    expect((await h.app.store.auditTrail(a.jobId)).filter((e) => e.to === 'approved')).toHaveLength(1);
  });

  it('the same invoke delivered twice at once starts one migration', async () => {
    const a = await ask(h);
    const answers = await Promise.all([click(h, 'approve', a, BEN), click(h, 'approve', a, BEN)]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    await eventually(async () => (await stateOf(h, a.jobId)) === 'running', 'the job running');
    await settle(h);
    expect(h.sim.startCalls()).toHaveLength(1);
  });

  it('two people approving at once start one migration; the other sees who approved', async () => {
    const a = await ask(h);
    const [ben, cat] = await Promise.all([click(h, 'approve', a, BEN), click(h, 'approve', a, CAT)]);
    await eventually(async () => (await stateOf(h, a.jobId)) === 'running', 'the job running');
    await settle(h);
    expect(h.sim.startCalls()).toHaveLength(1);
    const job = (await h.app.store.getJob(a.jobId))!;
    const winner = job.approvedBy!.name;
    expect([BEN.name, CAT.name]).toContain(winner);
    const loser = winner === BEN.name ? cat : ben;
    expect(answerText(loser)).toContain(`Approved by ${winner}`);
    expect(cardVerbs(loser.body.value)).not.toContain('approve');
  });

  // Issue 14 changed this: the approval that finds the slot taken queues its job instead of being refused.
  it('two different requests approved at once in one environment: one starts, the other waits in line', async () => {
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`);
    const first = {
      jobId: jobIdIn(h.connector.cards().at(-1)!.activity.attachments![0].content),
      cardId: h.connector.cards().at(-1)!.id,
    };
    await h.say('migrate 55555555-5555-4555-8555-555555555555 66666666-6666-4666-8666-666666666666', { from: CAT });
    const second = {
      jobId: jobIdIn(h.connector.cards().at(-1)!.activity.attachments![0].content),
      cardId: h.connector.cards().at(-1)!.id,
    };
    const answers = await Promise.all([click(h, 'approve', first, BEN), click(h, 'approve', second, BEN)]);
    await settle(h);
    expect(h.sim.startCalls()).toHaveLength(1);
    expect(answers.map(answerText).filter((t) => /In the queue, 1 ahead of it/.test(t))).toHaveLength(1);
    const states = [await stateOf(h, first.jobId), await stateOf(h, second.jobId)].sort();
    expect(states[0]).toBe('queued');
    expect(['running', 'starting']).toContain(states[1]);
  });
});

describe('approve while the service is slow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { speed: 2, registrations: 1000 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers the invoke at once, starts afterwards, and updates the shared card in place', async () => {
    const a = await ask(h);
    h.sim.injectFault({ kind: 'slow', ms: 3000, on: 'start', times: 1 });
    const began = Date.now();
    const answer = await click(h, 'approve', a, BEN);
    const tookMs = Date.now() - began;
    expect(answer.status).toBe(200);
    expect(tookMs).toBeLessThan(1000);
    expect(answerText(answer)).toMatch(/Approved by Ben Approver/);

    await eventually(
      async () => (await stateOf(h, a.jobId)) === 'running',
      'the job running after the slow start',
      15_000,
    );
    expect(h.sim.startCalls()).toHaveLength(1);
    expect(h.sim.startCalls()[0].status).toBe(202);
    await eventually(
      () => /The service is migrating/.test(lastUpdateText(h, a.cardId)),
      'the shared card showing the running job',
    );
    // Updated in place: the card's own message, no second card posted.
    expect(h.connector.cards().filter((c) => c.kind !== 'update')).toHaveLength(1);
  });
});

describe('cancel', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it.each([
    ['the requester', ADA],
    ['an approver', BEN],
  ])('by %s: cancelled, the card updated, nothing called', async (_who, by) => {
    h = await startHarness({ env: { APPROVER_IDS: BEN.aadObjectId } });
    const a = await ask(h, ADA);
    const answer = await click(h, 'cancel', a, by, {});
    expect(answerText(answer)).toMatch(new RegExp(`Cancelled by ${by.name}.*Nothing was started`));
    await settle(h);
    expect(await stateOf(h, a.jobId)).toBe('cancelled');
    expect(lastUpdateText(h, a.cardId)).toMatch(/Cancelled.*Nothing was started/);
    expect(cardVerbs(lastCardContent(h, a.cardId))).not.toContain('approve');
    expect(h.sim.calls).toEqual([]);

    const late = await click(h, 'approve', a, BEN);
    expect(answerText(late)).toMatch(/^Cancelled$/m);
    expect(cardVerbs(late.body.value)).not.toContain('approve');
    await settle(h);
    expect(h.sim.calls).toEqual([]);
  });

  it('by someone else when APPROVER_IDS is set: refused, the job stays pending', async () => {
    h = await startHarness({ env: { APPROVER_IDS: BEN.aadObjectId } });
    const a = await ask(h, ADA);
    const answer = await click(h, 'cancel', a, CAT, {});
    expect(answerText(answer)).toMatch(/Cat Colleague, only the requester or an approver can cancel this request/);
    await settle(h);
    expect(await stateOf(h, a.jobId)).toBe('pending_approval');
    expect(await h.app.store.listJobs(environmentKey(h.sim.url), 10)).toHaveLength(1);
    expect(h.sim.calls).toEqual([]);
  });
});
