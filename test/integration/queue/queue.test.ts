import type { Simulator } from '../../../src/sim/simulator';
import type { RecordedCall } from '../../../src/sim/simulator';
import { ADA, BEN, CAT, cardText, cardVerbs, eventually, type Harness } from '../../helpers/botHarness';
import { startTwoEnvironments, type TwoEnvironments } from '../../helpers/twoEnvironments';
import { approve, job, lastCardContent, request, untilDelivered, untilState, type Requested } from '../../helpers/flow';

/**
 * The queue through HTTP, with two simulated environments at once (`test` on the harness's simulator, `prod` on
 * its own): a busy environment's requests wait in line in approval order and start by themselves, one after the
 * other, each within one status poll of the service reporting the end of the one before; the other environment
 * runs side by side, untouched by the line.
 */

const PROD_TOKEN = 'prod-queue-token-51ab';
const ids = (n: number) => ({
  from: `${String(n).repeat(8)}-1111-4111-8111-111111111111`.slice(0, 36),
  to: `${String(n).repeat(8)}-2222-4222-8222-222222222222`.slice(0, 36),
});
const pairOf = (n: number) => ({ fromEventId: ids(n).from, toEventId: ids(n).to });

let prod: Simulator;
let h: Harness;

let both: TwoEnvironments;

beforeEach(async () => {
  // 150 registrations at 150 a second: a second a run, long enough to queue behind it
  both = await startTwoEnvironments({ prodToken: PROD_TOKEN, speed: 150, registrations: 150 });
  ({ h, prod } = both);
});

afterEach(async () => {
  await both.close();
});

const startsIn = (sim: Simulator) => sim.startCalls().map((c) => c.body);

/** Asks in `test` and approves: the approval's answer (the card as it is now). */
async function queueIn(n: number, by = ADA): Promise<Requested & { answer: string }> {
  const r = await request(h, { ...ids(n), by, in: 'test' });
  const answer = await h.click('approve', { jobId: r.jobId, ...allTicked() }, { from: BEN, replyToId: r.cardId });
  expect(answer.status).toBe(200);
  return { ...r, answer: cardText(answer.body.value) };
}

function allTicked(): Record<string, string> {
  return {
    rtmEventIsMinimalDraft: 'true',
    outboundEventIsDraft: 'true',
    journeysDisabled: 'true',
    manualFollowUpAccepted: 'true',
  };
}

/** The calls before a start call: the one right before it is the status read that reported the end. */
function callBefore(sim: Simulator, start: { fromEventId: string }): RecordedCall | undefined {
  const i = sim.calls.findIndex(
    (c) => c.method === 'POST' && (c.body as { fromEventId?: string })?.fromEventId === start.fromEventId,
  );
  return i > 0 ? sim.calls[i - 1] : undefined;
}

it('queues in approval order, says how many are ahead, and starts each by itself within one poll of the end', async () => {
  const first = await queueIn(1);
  await untilState(h, first.jobId, ['running']);

  const second = await request(h, { ...ids(2), by: CAT, in: 'test' });
  expect(h.connector.texts().at(-1)).toMatch(/^`test`: Another migration is running in this environment/);
  expect(h.connector.texts().at(-1)).toMatch(/1 ahead of it/);
  const third = await request(h, { ...ids(3), by: ADA, in: 'test' });
  expect(h.connector.texts().at(-1)).toMatch(/1 ahead of it/);
  // approval order decides the line, not request order: the third is approved first
  const thirdAnswer = await h.click(
    'approve',
    { jobId: third.jobId, ...allTicked() },
    { from: BEN, replyToId: third.cardId },
  );
  expect(cardText(thirdAnswer.body.value)).toMatch(/In the queue, 1 ahead of it/);
  expect(cardVerbs(thirdAnswer.body.value)).toEqual(['cancel']);
  await approve(h, second);
  expect((await job(h, second.jobId)).aheadInQueue).toBe(2);
  expect((await job(h, second.jobId)).state).toBe('queued');

  // prod is not busy: its request has no line and runs side by side
  const inProd = await request(h, { ...ids(4), in: 'prod' });
  expect(h.connector.sent.find((s) => s.id === inProd.cardId)?.activity.text ?? '').not.toMatch(/ahead of it/);
  await approve(h, inProd);

  await h.say('queue in test');
  const queueText = h.connector.texts().find((t) => t.startsWith('`test`: **Queue**'))!;
  expect(queueText).toMatch(/^`test`: /);
  const order = [first.jobId, third.jobId, second.jobId].map((id) => queueText.indexOf(id));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(queueText).toMatch(/Ben Approver/);
  expect(queueText).toMatch(/expected to start/i);

  await untilState(h, second.jobId, ['completed'], 30_000);
  expect(startsIn(h.sim)).toEqual([pairOf(1), pairOf(3), pairOf(2)]);
  expect(startsIn(prod)).toEqual([pairOf(4)]);
  // each start from the queue came right after the status read that reported the end: within one poll
  for (const n of [3, 2]) expect(callBefore(h.sim, pairOf(n))).toMatchObject({ method: 'GET', status: 200 });
  for (const r of [third, second]) {
    const j = await job(h, r.jobId);
    const endOfPrevious = h.sim.jobs().find((s) => s.toEventId === (r === third ? ids(1).to : ids(3).to))!;
    // generous: the bound is one poll interval (100 ms) on the service's own clock plus the calls themselves
    expect(Date.parse(j.startedAt!) - Date.parse(endOfPrevious.completedAt!)).toBeLessThan(2_000);
  }
  // the thread and the card say it started; the requester and the approver are named
  await untilDelivered(h, second.jobId);
  const started = h.connector.texts().filter((t) => /queued migration .* started by itself/.test(t));
  expect(started).toHaveLength(2);
  expect(started.find((t) => t.includes(ids(2).from))).toMatch(/Cat Colleague.*Ben Approver/);
  expect(cardText(lastCardContent(h, second.cardId))).toMatch(/Completed/);
});

it('Cancel on a queued card takes it out; the one behind moves up and the cancelled one never starts', async () => {
  const first = await queueIn(1);
  await untilState(h, first.jobId, ['running']);
  const second = await queueIn(2);
  const third = await queueIn(3);
  expect(third.answer).toMatch(/In the queue, 2 ahead of it/);

  const cancelled = await h.click('cancel', { jobId: second.jobId }, { from: ADA, replyToId: second.cardId });
  expect(cardText(cancelled.body.value)).toMatch(/Cancelled by Ada Admin/);
  expect((await job(h, second.jobId)).state).toBe('cancelled');
  expect((await job(h, third.jobId)).aheadInQueue).toBe(1);
  await eventually(
    () => /In the queue, 1 ahead of it/.test(cardText(lastCardContent(h, third.cardId) ?? {})),
    'the card behind it moved up',
  );
  await untilState(h, third.jobId, ['completed'], 30_000);
  expect(startsIn(h.sim)).toEqual([pairOf(1), pairOf(3)]);
  expect((await job(h, second.jobId)).state).toBe('cancelled');
});

it('a start that fails ends that job as could-not-start with Retry, and the next in line starts', async () => {
  const first = await queueIn(1);
  await untilState(h, first.jobId, ['running']);
  const second = await queueIn(2);
  const third = await queueIn(3);
  // a 500 is not retried: the next start call fails once
  h.sim.injectFault({ kind: 'start5xx', code: 500, times: 1 });
  const failed = await untilState(h, second.jobId, ['start_failed'], 30_000);
  expect(failed.lastError).toBeDefined();
  await untilState(h, third.jobId, ['running', 'completed'], 30_000);
  await untilDelivered(h, second.jobId);
  expect(cardVerbs(lastCardContent(h, second.cardId))).toContain('retry');
  // one attempt each: the failed one is not tried again by itself
  const attempts = h.sim.calls
    .filter((c) => c.method === 'POST')
    .map((c) => (c.body as { fromEventId: string }).fromEventId);
  expect(attempts).toEqual([ids(1).from, ids(2).from, ids(3).from]);
});

it('after a restart with jobs in line, each starts exactly once (counted at the service)', async () => {
  const first = await queueIn(1);
  await untilState(h, first.jobId, ['running']);
  const second = await queueIn(2);
  const third = await queueIn(3);
  // the bot is down while the running one ends on the service: nobody saw the end
  await h.app.stop();
  await eventually(() => h.sim.currentJob()?.state === 'completed', 'the first run ended on the service', 10_000);
  await h.restart();
  await untilState(h, third.jobId, ['completed'], 30_000);
  // and once more in the middle of the line
  await h.restart();
  await untilState(h, third.jobId, ['completed']);
  for (const n of [1, 2, 3])
    expect(
      h.sim.startCalls().filter((c) => (c.body as { fromEventId: string }).fromEventId === ids(n).from),
    ).toHaveLength(1);
  expect((await job(h, second.jobId)).state).toBe('completed');
  expect((await h.app.store.auditTrail(second.jobId)).filter((a) => a.to === 'starting')).toHaveLength(1);
});
