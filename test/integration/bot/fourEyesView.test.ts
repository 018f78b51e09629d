import {
  ADA,
  ALL_TICKED,
  BEN,
  cardVerbs,
  FROM_EVENT,
  jobIdIn,
  startHarness,
  TO_EVENT,
  type Harness,
} from '../../helpers/botHarness';

/**
 * Under the four-eyes rule the requester's own Teams client shows the confirmation without Approve: the shared
 * card lists them in its `refresh` section, and their client asks the bot for their own view.
 */

describe('the requester’s own view under REQUIRE_SECOND_APPROVER', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('the shared card asks Teams to refresh it for the requester, whose view has no Approve; nothing changes', async () => {
    h = await startHarness({ env: { REQUIRE_SECOND_APPROVER: 'true' } });
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, { from: ADA });
    const shared = h.connector.cards()[0];
    const content = shared.activity.attachments![0].content as {
      refresh?: { action: { verb: string }; userIds: string[] };
    };
    expect(content.refresh?.userIds).toEqual([ADA.id]);
    expect(content.refresh?.action.verb).toBe('refresh');
    expect(cardVerbs(content)).toEqual(expect.arrayContaining(['approve', 'cancel']));
    const jobId = jobIdIn(content);

    const sentBefore = h.connector.sent.length;
    const own = await h.click('refresh', { jobId }, { from: ADA, trigger: 'automatic', replyToId: shared.id });
    expect(own.status).toBe(200);
    expect(own.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardVerbs(own.body.value)).not.toContain('approve');
    expect(JSON.stringify(own.body.value)).toMatch(/a second person must approve/);
    // a refresh is a read: the job still waits, the shared card is not touched (that would loop), nothing is called
    expect((await h.app.store.getJob(jobId))?.state).toBe('pending_approval');
    await h.app.afterTurn.drain();
    expect(h.connector.sent.length).toBe(sentBefore);
    expect(h.sim.calls).toHaveLength(0);

    // Ben's client shows the shared card; his Approve works
    const approved = await h.click('approve', { jobId, ...ALL_TICKED }, { from: BEN, replyToId: shared.id });
    expect(approved.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect((await h.app.store.getJob(jobId))?.approvedBy?.id).toBe(BEN.id);
  });

  it('without the rule the card has no refresh section', async () => {
    h = await startHarness();
    await h.say(`migrate ${FROM_EVENT} ${TO_EVENT}`, { from: ADA });
    expect(h.connector.cards()[0].activity.attachments![0].content).not.toHaveProperty('refresh');
  });
});
