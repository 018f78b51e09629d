import {
  cardText,
  cardVerbs,
  eventually,
  FROM_EVENT,
  startHarness,
  TO_EVENT,
  type Harness,
} from '../../helpers/botHarness';
import {
  approve,
  lastCardContent,
  request,
  requestAndApprove,
  textMessages,
  untilDelivered,
  untilState,
} from '../../helpers/flow';

/** The ways a job ends other than plain success, and what the channel sees of each. */

const idsFor = (n: number) => ({
  from: `${String(n).repeat(8)}-cccc-4ccc-8ccc-${String(n).repeat(12)}`,
  to: `${String(n).repeat(8)}-dddd-4ddd-8ddd-${String(n).repeat(12)}`,
});

const alertsAbout = (h: Harness, fromEventId: string) =>
  textMessages(h).filter((t) => t.activity.text!.includes(fromEventId) && /<at>/.test(t.activity.text!));

describe('endings other than success', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { registrations: 100, speed: 400 } });
  });
  afterEach(() => {
    h.sim.setOutcome('completed');
    h.sim.setSpeed(400);
  });
  afterAll(async () => {
    await h.close();
  });

  it('completed with errors: the failure card lists the service errors, the advice and Retry; one alert', async () => {
    h.sim.setOutcome('completed_with_errors', 4);
    const ids = idsFor(1);
    const { jobId, cardId } = await requestAndApprove(h, ids);
    expect((await untilState(h, jobId, ['completed', 'completed_with_errors', 'failed'])).state).toBe(
      'completed_with_errors',
    );
    await untilDelivered(h, jobId);
    const card = lastCardContent(h, cardId);
    const text = cardText(card);
    expect(text).toMatch(/some registrations were not migrated/);
    expect(text).toMatch(/Failed\n4\n/);
    expect(text).toContain('Registration 1 could not be migrated: the contact has no email address.');
    expect(text).toMatch(/few registrations are missing, add them .* by hand/);
    expect(text).toMatch(/many are missing, create a new draft real-time event/);
    expect(cardVerbs(card)).toContain('retry');
    const alerts = alertsAbout(h, ids.from);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].activity.text).toMatch(/finished with errors/);
  });

  it('failed: the failure card says so with the service error, the advice and Retry; Retry opens a new approval that runs', async () => {
    h.sim.setOutcome('failed');
    const ids = idsFor(2);
    const { jobId, cardId } = await requestAndApprove(h, ids);
    expect((await untilState(h, jobId, ['completed', 'completed_with_errors', 'failed'])).state).toBe('failed');
    await untilDelivered(h, jobId);
    const card = lastCardContent(h, cardId);
    const text = cardText(card);
    expect(text).toMatch(/failed on the service/);
    expect(text).toContain('The migration failed: the real-time event is no longer a draft.');
    expect(text).toMatch(/create a new draft real-time event and run the migration again/);
    expect(cardVerbs(card)).toEqual(['retry']);
    const alerts = alertsAbout(h, ids.from);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].activity.text).toMatch(/failed/);

    // Retry: nothing starts; a new confirmation card for the same ids waits for its own checklist and approval.
    h.sim.setOutcome('completed');
    const startsBefore = h.sim.startCalls().length;
    const cardsBefore = h.connector.cards().filter((c) => c.kind !== 'update').length;
    const answer = await h.click('retry', { jobId }, { replyToId: cardId });
    expect(answer.status).toBe(200);
    const fresh = await eventually(
      () => h.connector.cards().filter((c) => c.kind !== 'update')[cardsBefore],
      'the new confirmation card',
    );
    const content = fresh.activity.attachments![0].content;
    expect(cardVerbs(content)).toEqual(expect.arrayContaining(['approve', 'cancel']));
    expect(cardText(content)).toContain(ids.from);
    expect(cardText(content)).toContain(ids.to);
    const retryId = /"jobId":"([^"]+)"/.exec(JSON.stringify(content))![1];
    expect(retryId).not.toBe(jobId);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.sim.startCalls().length).toBe(startsBefore);

    await approve(h, { jobId: retryId, cardId: fresh.id });
    const retried = await untilState(h, retryId, ['completed', 'completed_with_errors', 'failed']);
    expect(retried).toMatchObject({ state: 'completed', retryOf: jobId });
    expect(
      h.sim
        .startCalls()
        .slice(startsBefore)
        .map((c) => c.body),
    ).toEqual([{ fromEventId: ids.from, toEventId: ids.to }]);
    expect((await h.app.store.getJob(jobId))?.state).toBe('failed');
  });

  it('superseded: another start with stopExistingIfJobRunning replaces the job; the card and one alert say so', async () => {
    h.sim.setSpeed(20); // 5 s of work: time to replace it while it runs
    const ids = idsFor(3);
    const { jobId, cardId } = await requestAndApprove(h, ids);
    await untilState(h, jobId, ['running']);
    await eventually(() => (h.sim.currentJob()?.processed ?? 0) > 0, 'the job to make progress');

    const other = { fromEventId: FROM_EVENT, toEventId: TO_EVENT, stopExistingIfJobRunning: true };
    const res = await fetch(`${h.sim.url}obmMigration/start?emApplicationtoken=dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(other),
    });
    expect(res.status).toBe(202);

    const ended = await untilState(h, jobId, ['superseded', 'completed', 'failed', 'stopped']);
    expect(ended.state).toBe('superseded');
    await untilDelivered(h, jobId);
    const text = cardText(lastCardContent(h, cardId));
    expect(text).toMatch(/Another migration replaced this one/);
    expect(text).toContain(FROM_EVENT);
    const alerts = alertsAbout(h, ids.from);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].activity.text).toMatch(/replaced by another migration/);
    // The bot does not adopt the other migration: it stops reading the status for its own, ended job.
    const calls = h.sim.statusCalls().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.sim.statusCalls().length).toBe(calls);
    // free the service for the next test
    h.sim.setSpeed(10_000);
    await eventually(() => h.sim.currentJob()?.state === 'completed', 'the other migration to end');
  });

  it('a Retry on a card whose job is still running changes nothing', async () => {
    h.sim.setSpeed(20);
    const ids = idsFor(4);
    const r = await request(h, ids);
    await approve(h, r);
    await untilState(h, r.jobId, ['running']);
    const starts = h.sim.startCalls().length;
    const cards = h.connector.cards().filter((c) => c.kind !== 'update').length;
    const answer = await h.click('retry', { jobId: r.jobId }, { replyToId: r.cardId });
    expect(answer.status).toBe(200);
    expect(cardText(answer.body.value)).toMatch(/Running/);
    await h.app.afterTurn.drain();
    expect(h.connector.cards().filter((c) => c.kind !== 'update').length).toBe(cards);
    expect(h.sim.startCalls().length).toBe(starts);
    // let it end so the environment is free
    h.sim.setSpeed(10_000);
    await untilState(h, r.jobId, ['completed']);
  });
});
