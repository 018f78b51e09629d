import { environmentKey } from '../../../src/events-api';
import {
  ADA,
  ALL_TICKED,
  BEN,
  CAT,
  cardText,
  cardVerbs,
  eventually,
  FROM_EVENT,
  startHarness,
  TO_EVENT,
  type Harness,
  contentOf,
  jobIdIn,
} from '../../helpers/botHarness';
import { approve, request, type Requested } from '../../helpers/flow';

/**
 * When the Events API will not start the migration: the card the team shares ends on what went wrong, what to
 * do and a Retry button; Retry asks for a new approval. Real client, real simulator, on loopback.
 */

const OTHER_FROM = '77777777-7777-4777-8777-777777777777';
const OTHER_TO = '88888888-8888-4888-8888-888888888888';
const QUICK_RETRY = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 2_000 };

type Asked = Requested;

async function askAndApprove(h: Harness, inputs: Record<string, unknown> = ALL_TICKED): Promise<Asked> {
  const asked = await request(h, { by: ADA });
  await approve(h, asked, { by: BEN, inputs });
  return asked;
}

/** The shared card once the start has ended (in place: a PUT to the card's own message). */
async function finalCard(h: Harness, a: Asked, state: string) {
  await eventually(async () => (await h.app.store.getJob(a.jobId))?.state === state, `the job ${state}`);
  await h.app.afterTurn.drain();
  await h.app.dispatcher.idle();
  const update = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === a.cardId).at(-1);
  expect(update).toBeDefined();
  return contentOf(update!);
}

/** A job on the service that the bot did not start (someone used the web application directly). */
async function startDirectly(h: Harness): Promise<void> {
  const res = await fetch(`${h.sim.url}obmMigration/start?emApplicationtoken=dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fromEventId: OTHER_FROM, toEventId: OTHER_TO }),
  });
  expect(res.status).toBe(202);
}

describe('the start fails', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('401 (wrong token): says to check EVENTS_API_TOKEN, offers Retry, never shows the token', async () => {
    const wrong = 'wrong-token-5up3r-s3cr3t';
    h = await startHarness({ env: { EVENTS_API_TOKEN: wrong } });
    const a = await askAndApprove(h);
    const card = await finalCard(h, a, 'start_failed');
    const text = cardText(card);
    expect(text).toMatch(/could not be started. Nothing was migrated/);
    expect(text).toMatch(/refused the token \(401\)\. Check EVENTS_API_TOKEN/);
    expect(cardVerbs(card)).toEqual(['retry']);
    expect(h.sim.startCalls()).toHaveLength(1);
    // A card update notifies nobody: the thread also gets one message saying the start failed.
    const told = h.connector.sent.filter((s) => /Could not start the migration/.test(s.activity.text ?? ''));
    expect(told).toHaveLength(1);
    expect(told[0].conversationId).toBe(h.connector.cards()[0].conversationId);
    const everything = JSON.stringify(h.connector.sent) + h.logs();
    expect(everything).not.toContain(wrong);
  });

  it('409 (a migration already runs on the service): says to tick "replace a running migration"', async () => {
    h = await startHarness({ sim: { speed: 1, registrations: 1000 } });
    await startDirectly(h);
    const a = await askAndApprove(h);
    const text = cardText(await finalCard(h, a, 'start_failed'));
    expect(text).toMatch(/already running in this environment \(409\)/);
    expect(text).toMatch(/replace a running migration/);
    expect(h.sim.startCalls()).toHaveLength(2);
    expect(h.sim.startCalls()[1].body).not.toHaveProperty('stopExistingIfJobRunning', true);
    // Reported, not replaced: the other job still runs.
    expect(h.sim.currentJob()).toMatchObject({ fromEventId: OTHER_FROM });
    expect(await h.app.store.activeJob(environmentKey(h.sim.url))).toBeUndefined();
  });

  it('503 until the retry budget runs out: says the service was unavailable and to try later', async () => {
    h = await startHarness({ eventsApiRetry: QUICK_RETRY });
    h.sim.injectFault({ kind: 'start5xx', code: 503 });
    const a = await askAndApprove(h);
    const card = await finalCard(h, a, 'start_failed');
    expect(cardText(card)).toMatch(/unavailable after 3 tries.*last: 503/);
    expect(cardVerbs(card)).toEqual(['retry']);
    expect(h.sim.startCalls()).toHaveLength(3);
    expect(h.sim.startCalls().every((c) => c.status === 503)).toBe(true);
  });
});

describe('replace a running migration', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it("sends stopExistingIfJobRunning: true and the bot's job replaces the other one", async () => {
    h = await startHarness({ sim: { speed: 1, registrations: 1000 } });
    await startDirectly(h);
    const a = await askAndApprove(h, { ...ALL_TICKED, replaceRunning: 'true' });
    await eventually(async () => (await h.app.store.getJob(a.jobId))?.state === 'running', 'the job running');
    expect(h.sim.startCalls()[1].body).toEqual({
      fromEventId: FROM_EVENT,
      toEventId: TO_EVENT,
      stopExistingIfJobRunning: true,
    });
    expect(h.sim.currentJob()).toMatchObject({ fromEventId: FROM_EVENT, toEventId: TO_EVENT });
  });
});

describe('Retry from a failure card', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('posts a new confirmation card for the same ids that needs its own approval', async () => {
    h = await startHarness({ env: { EVENTS_API_TOKEN: 'wrong-token' } });
    const failed = await askAndApprove(h);
    await finalCard(h, failed, 'start_failed');
    const cardsBefore = h.connector.cards().filter((c) => c.kind !== 'update').length;

    const answer = await h.click('retry', { jobId: failed.jobId }, { from: CAT, replyToId: failed.cardId });
    expect(answer.status).toBe(200);
    // The clicked card stays the record of the failed run; the new request gets its own card.
    expect(jobIdIn(answer.body.value)).toBe(failed.jobId);
    await h.app.afterTurn.drain();
    const posted = await eventually(
      () =>
        h.connector
          .cards()
          .filter((c) => c.kind !== 'update')
          .slice(cardsBefore)
          .at(-1),
      'the new confirmation card',
    );
    const newId = jobIdIn(contentOf(posted));
    expect(newId).not.toBe(failed.jobId);
    expect(cardVerbs(contentOf(posted))).toEqual(['approve', 'cancel']);
    expect(cardText(contentOf(posted))).toContain(`retry of ${failed.jobId}`);
    expect(await h.app.store.getJob(newId)).toMatchObject({
      state: 'pending_approval',
      fromEventId: FROM_EVENT,
      toEventId: TO_EVENT,
      retryOf: failed.jobId,
      requestedBy: { name: CAT.name },
    });
    expect(h.sim.startCalls()).toHaveLength(1);
  });
});
