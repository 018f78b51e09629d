import {
  ALL_TICKED,
  cardText,
  cardVerbs,
  eventually,
  FROM_EVENT,
  jobIdIn,
  startHarness,
  TO_EVENT,
  type Harness,
} from '../../helpers/botHarness';

describe('migrate in a channel, approve, the simulator runs the job', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers with the confirmation card, starts after approval, follows the job to the review card', async () => {
    expect(await h.say(`migrate {${FROM_EVENT.toUpperCase()}} ${TO_EVENT}`)).toBe(200);
    const card = h.connector.cards()[0];
    expect(card.kind).toBe('reply');
    const content = card.activity.attachments![0].content;
    expect(cardText(content)).toContain(FROM_EVENT);
    expect(cardVerbs(content)).toEqual(expect.arrayContaining(['approve', 'cancel']));
    const jobId = jobIdIn(content);
    expect(jobId).toBeDefined();

    const answer = await h.click('approve', { jobId, ...ALL_TICKED }, { replyToId: card.id });
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');

    await eventually(() => h.sim.startCalls().length === 1, 'the start call');
    expect(h.sim.startCalls()[0].body).toEqual({ fromEventId: FROM_EVENT, toEventId: TO_EVENT });
    await eventually(async () => (await h.app.store.getJob(jobId))?.state === 'completed', 'completion', 15_000);
    // The audit trail keeps who moved the job and what the service answered at each step.
    const trail = await h.app.store.auditTrail(jobId);
    expect(trail.map((e) => e.to)).toEqual(['pending_approval', 'approved', 'starting', 'running', 'completed']);
    expect(trail[1].by?.name).toBe('Ben Approver');
    expect(JSON.stringify(trail[4].detail)).toMatch(/Completed/);
    await eventually(() => h.connector.texts().some((t) => /is complete/i.test(t)), 'the completion alert');
    const updates = h.connector.sent.filter((s) => s.kind === 'update' && s.activityId === card.id);
    expect(updates.length).toBeGreaterThan(0);
    expect(cardText(updates[updates.length - 1].activity.attachments![0].content)).toMatch(/publish/i);
  });
});
