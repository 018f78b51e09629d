import {
  BEN,
  CAT,
  cardText,
  cardVerbs,
  contentOf,
  eventually,
  startHarness,
  type Harness,
} from '../../helpers/botHarness';
import {
  lastCardContent,
  request,
  requestAndApprove,
  textMessages,
  untilDelivered,
  untilState,
} from '../../helpers/flow';

/**
 * An approver stops following a running job (`forget <job id>`, or Stop following on its card): after a
 * confirmation that says the service is not told, the job ends as abandoned, with who and when, and the
 * environment is free. Anyone else is refused and nothing changes.
 */

const ids = (n: number) => ({
  from: `${String(n).repeat(8)}-1212-4121-8121-${String(n).repeat(12)}`,
  to: `${String(n).repeat(8)}-3434-4343-8343-${String(n).repeat(12)}`,
});

describe('stop following a migration', () => {
  let h: Harness;
  beforeAll(async () => {
    // Ben is the only approver; Cat is not one.
    h = await startHarness({ env: { APPROVER_IDS: BEN.aadObjectId }, sim: { registrations: 10_000, speed: 5 } });
  });
  afterAll(async () => {
    await h.close();
  });

  const lastPosted = () =>
    h.connector
      .cards()
      .filter((c) => c.kind !== 'update')
      .at(-1)!;
  const lastText = () => textMessages(h).at(-1)!.activity.text!;

  it('refuses others, then an approver confirms, and the job ends abandoned without calling the service', async () => {
    const first = await requestAndApprove(h, ids(1));
    const { jobId, cardId } = first;
    await untilState(h, jobId, ['running']);
    await eventually(async () => (await h.app.store.getJob(jobId))?.progress.lastReportedAt, 'a reading');
    await untilDelivered(h, jobId);
    expect(cardVerbs(lastCardContent(h, cardId))).toEqual(['forget']);

    // A second request (since issue 14 a confirmation with its place in line) names the job in the way, how
    // long it has run, when it was last reported, and the way out.
    expect(await h.say(`migrate ${ids(2).from} ${ids(2).to}`)).toBe(200);
    const blocked = lastPosted().activity.text!;
    expect(blocked).toContain(jobId);
    expect(blocked).toMatch(/running for (less than a minute|about \d+ min) \(since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(blocked).toMatch(/the service last reported it \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(blocked).toContain(`an approver can stop following it: \`forget ${jobId}\``);

    // Cat is refused everywhere, and nothing changes.
    const trailBefore = await h.app.store.auditTrail(jobId);
    const asked = await h.click('forget', { jobId }, { from: CAT, replyToId: cardId });
    expect(cardText(asked.body.value)).toMatch(/Cat Colleague, only an approver \(APPROVER_IDS\) can stop following/);
    expect(cardVerbs(asked.body.value)).toEqual([]);
    const forced = await h.click('confirm_forget', { jobId }, { from: CAT, replyToId: cardId });
    expect(cardText(forced.body.value)).toMatch(/only an approver \(APPROVER_IDS\) can stop following/);
    expect(await h.say(`forget ${jobId}`, { from: CAT })).toBe(200);
    expect(lastText()).toMatch(/only an approver \(APPROVER_IDS\) can stop following/);
    expect((await h.app.store.getJob(jobId))?.state).toBe('running');
    expect(await h.app.store.auditTrail(jobId)).toEqual(trailBefore);

    // Ben asks by command: a confirmation card that says what it means; nothing changes yet.
    expect(await h.say(`forget {${jobId.toUpperCase()}}`, { from: BEN })).toBe(200);
    const confirmation = contentOf(lastPosted());
    expect(cardText(confirmation)).toMatch(/Stop following this migration\?/);
    expect(cardText(confirmation)).toMatch(/The service is not told: the migration may still be running there/);
    expect(cardText(confirmation)).toMatch(/Running for/);
    expect(cardText(confirmation)).toMatch(/Service last reported it/);
    expect(cardVerbs(confirmation)).toEqual(['confirm_forget', 'refresh']);
    expect((await h.app.store.getJob(jobId))?.state).toBe('running');

    // The card's own Stop following answers with the same confirmation.
    const fromCard = await h.click('forget', { jobId }, { from: BEN, replyToId: cardId });
    expect(cardVerbs(fromCard.body.value)).toEqual(['confirm_forget', 'refresh']);
    // Keep following: back to the job's card, still running.
    const kept = await h.click('refresh', { jobId }, { from: BEN, replyToId: cardId });
    expect(cardText(kept.body.value)).toMatch(/Running/);
    expect((await h.app.store.getJob(jobId))?.state).toBe('running');

    const calls = h.sim.calls.length;
    const done = await h.click('confirm_forget', { jobId }, { from: BEN, replyToId: cardId });
    expect(done.status).toBe(200);
    expect(cardText(done.body.value)).toMatch(
      /Ben Approver stopped following this migration \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    expect(cardText(done.body.value)).toMatch(/No longer followed/);
    const abandoned = await h.app.store.getJob(jobId);
    expect(abandoned).toMatchObject({ state: 'abandoned', endedBy: { name: 'Ben Approver' } });
    const trail = await h.app.store.auditTrail(jobId);
    expect(trail.at(-1)).toMatchObject({
      from: 'running',
      to: 'abandoned',
      by: { name: 'Ben Approver' },
      note: 'stopped following (the service was not told)',
    });
    expect(trail.at(-1)!.at).toBe(abandoned!.endedAt);

    // The shared card says so; the service was not called (no start, no stop) and is no longer read.
    await untilDelivered(h, jobId);
    expect(cardText(lastCardContent(h, cardId))).toMatch(/Ben Approver stopped following this migration/);
    await new Promise((r) => setTimeout(r, 400));
    expect(h.sim.calls.slice(calls).filter((c) => !c.path.endsWith('/obmMigration/status'))).toEqual([]);
    const statusCalls = h.sim.statusCalls().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.sim.statusCalls().length).toBe(statusCalls);
    // The migration goes on on the service: the bot only let go of it.
    expect(h.sim.currentJob()?.state).toBe('running');

    // A second confirmation changes nothing; the environment is free for the next request.
    const again = await h.click('confirm_forget', { jobId }, { from: BEN, replyToId: cardId });
    expect(cardText(again.body.value)).toMatch(/no longer followed by the bot; nothing was changed/);
    const next = await request(h, ids(3));
    expect((await h.app.store.getJob(next.jobId))?.state).toBe('pending_approval');
  });

  it('answers a job id it does not know, or a bad one, and changes nothing', async () => {
    expect(await h.say('forget 0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f', { from: BEN })).toBe(200);
    expect(lastText()).toMatch(/knows no migration with the job id `0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f`/);
    expect(await h.say('forget soon', { from: BEN })).toBe(200);
    expect(lastText()).toMatch(/"soon" is not a job id\. Usage: `forget <job id>`/);
    expect(await h.say('forget', { from: BEN })).toBe(200);
    expect(lastText()).toMatch(/Which migration\? Usage: `forget <job id>`/);
  });
});

describe('stop following a migration, from elsewhere', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { APPROVER_IDS: BEN.aadObjectId }, sim: { registrations: 10_000, speed: 5 } });
  });
  afterAll(async () => {
    await h.close();
  });
  const lastText = () => textMessages(h).at(-1)!.activity.text!;

  it('refuses `forget` typed in another conversation, as the card buttons are refused there', async () => {
    const { jobId } = await requestAndApprove(h, ids(4));
    await untilState(h, jobId, ['running']);
    const trailBefore = await h.app.store.auditTrail(jobId);
    expect(await h.say(`forget ${jobId}`, { from: BEN, conversationId: 'a:a-private-chat-elsewhere' })).toBe(200);
    expect(lastText()).toMatch(/belongs to another conversation: stop following it there/);
    expect((await h.app.store.getJob(jobId))?.state).toBe('running');
    expect(await h.app.store.auditTrail(jobId)).toEqual(trailBefore);
  });
});
