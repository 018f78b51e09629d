import { environmentKey } from '../../../src/events-api';
import {
  ALL_TICKED,
  BEN,
  cardText,
  contentOf,
  FROM_EVENT,
  jobIdIn,
  startHarness,
  TO_EVENT,
  type Harness,
} from '../../helpers/botHarness';
import { request, requestAndApprove, untilDelivered, untilState } from '../../helpers/flow';

/** The same outbound event is migrated once: whatever Teams re-sends, and however many people ask for it. */

async function settle(h: Harness): Promise<void> {
  await h.app.afterTurn.drain();
  await h.app.dispatcher.idle();
}

describe('the same outbound event, asked for twice', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const jobs = () => h.app.store.listJobs(environmentKey(h.sim.url), 20);

  it('the same migrate activity delivered again answers with the card it already got and creates nothing', async () => {
    expect(await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, { activityId: 'teams-msg-1' })).toBe(200);
    expect(await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, { activityId: 'teams-msg-1' })).toBe(200);
    const cards = h.connector.cards().filter((c) => c.kind !== 'update');
    expect(cards).toHaveLength(2);
    const [first, again] = cards.map((c) => jobIdIn(contentOf(c)));
    expect(again).toBe(first);
    expect(await jobs()).toHaveLength(1);

    // Delivered again once the job has run: still its own card (not "another migration is running"), nothing new.
    await h.click('approve', { jobId: first, ...ALL_TICKED }, { from: BEN, replyToId: cards[0].id });
    await untilState(h, first, ['completed']);
    await untilDelivered(h, first);
    expect(await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, { activityId: 'teams-msg-1' })).toBe(200);
    const last = h.connector
      .cards()
      .filter((c) => c.kind !== 'update')
      .at(-1)!;
    expect(cardText(contentOf(last))).toContain(`Job ${first}`);
    expect(cardText(contentOf(last))).toMatch(/All done/);
    expect(await jobs()).toHaveLength(1);
    expect(h.sim.startCalls()).toHaveLength(1);
  });

  it('a second request made before the first ran cannot be approved once the source is migrated: the refusal names the earlier job; no second start call', async () => {
    const first = await request(h);
    const second = await request(h);
    expect(second.jobId).not.toBe(first.jobId);
    await h.click('approve', { jobId: first.jobId, ...ALL_TICKED }, { from: BEN, replyToId: first.cardId });
    await untilState(h, first.jobId, ['completed']);
    await settle(h);

    const answer = await h.click(
      'approve',
      { jobId: second.jobId, ...ALL_TICKED },
      { from: BEN, replyToId: second.cardId },
    );
    expect(answer.status).toBe(200);
    const text = cardText(answer.body.value);
    expect(text).toMatch(/cannot be approved/);
    expect(text).toContain(`job ${first.jobId}`);
    await settle(h);
    expect((await h.app.store.getJob(second.jobId))?.state).toBe('pending_approval');
    expect(h.sim.startCalls()).toHaveLength(1);
  });

  it('a second request for a pair that is running is refused at approval, naming the running job', async () => {
    // A slow job, so the first is still running when the second is approved.
    await h.close();
    h = await startHarness({ sim: { speed: 1, registrations: 4000 } });
    const second = await request(h);
    const first = await requestAndApprove(h);
    await untilState(h, first.jobId, ['running']);
    const answer = await h.click(
      'approve',
      { jobId: second.jobId, ...ALL_TICKED },
      { from: BEN, replyToId: second.cardId },
    );
    expect(cardText(answer.body.value)).toContain(`job ${first.jobId}`);
    await settle(h);
    expect((await h.app.store.getJob(second.jobId))?.state).toBe('pending_approval');
    expect(h.sim.startCalls()).toHaveLength(1);
  });
});
