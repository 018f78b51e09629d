import { cardText, eventually, startHarness, type Harness } from '../../helpers/botHarness';
import type { StatusVariant } from '../../../src/sim/variants';
import {
  lastCardContent,
  request,
  requestAndApprove,
  textMessages,
  untilDelivered,
  untilState,
} from '../../helpers/flow';

/**
 * The service forgets a running job (its job list reset): whatever shape its "no job" takes, the bot warns on the
 * card, then ends the job as lost, tells both people once, and frees the environment.
 */

const idsFor = (n: number) => ({
  from: `${String(n).repeat(8)}-abab-4aba-8aba-${String(n).repeat(12)}`,
  to: `${String(n).repeat(8)}-cdcd-4cdc-8cdc-${String(n).repeat(12)}`,
});

describe.each([
  ['a "None" state', 'flat', 1],
  ['a 204', 'nested', 2],
  ['a 404 that says there is no job', 'percent', 3],
] as Array<[string, StatusVariant, number]>)('the service answers %s about a running job', (_what, variant, n) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { registrations: 1000, speed: 20, variant } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('the card warns, then the job ends as lost with the advice, one alert to both people, and the slot is free', async () => {
    const ids = idsFor(n);
    const { jobId, cardId } = await requestAndApprove(h, ids);
    await untilState(h, jobId, ['running']);
    await eventually(async () => (await h.app.store.getJob(jobId))?.progress.lastReportedAt, 'a reading about the job');

    h.sim.reset(); // the service's job list is gone
    h.sim.setVariant(variant);
    await eventually(
      () => /reports no migration running since/.test(cardText(lastCardContent(h, cardId) ?? {})),
      'the warning on the card',
    );
    expect((await h.app.store.getJob(jobId))?.state).toBe('running');

    const lost = await untilState(h, jobId, ['lost', 'completed', 'failed', 'superseded', 'stopped']);
    expect(lost.state).toBe('lost');
    // 15 readings in a row over at least 15 intervals of 100 ms
    expect(h.sim.statusCalls().length).toBeGreaterThanOrEqual(15);
    expect(Date.parse(lost.endedAt!) - Date.parse(lost.tracking.firstNoJobAt!)).toBeGreaterThanOrEqual(1500);
    await untilDelivered(h, jobId);
    const text = cardText(lastCardContent(h, cardId));
    expect(text).toMatch(/No longer reported/);
    expect(text).toMatch(/The service no longer reports this migration/);
    expect(text).toMatch(/add them to the real-time event by hand/);
    expect(text).toMatch(/create a new draft real-time event and run the migration again/);
    const alerts = textMessages(h).filter((t) => /no longer reports this migration/.test(t.activity.text!));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].activity.text).toMatch(/<at>Ada Admin<\/at> <at>Ben Approver<\/at>/);
    const trail = await h.app.store.auditTrail(jobId);
    expect(trail.at(-1)).toMatchObject({ from: 'running', to: 'lost' });

    // The bot stops reading the status for it, and a new migration may be asked for at once.
    const calls = h.sim.statusCalls().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.sim.statusCalls().length).toBe(calls);
    const next = await request(h, idsFor(n + 5));
    expect((await h.app.store.getJob(next.jobId))?.state).toBe('pending_approval');
  });
});

describe('a status read that fails for long', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      sim: { registrations: 1000, speed: 20 },
      eventsApiRetry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 100 },
      overrides: { pollRules: { maxBackoff: 1 } },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is lost contact, not "no job": the job keeps running however many reads fail', async () => {
    const { jobId } = await requestAndApprove(h, idsFor(9));
    await untilState(h, jobId, ['running']);
    h.sim.injectFault({ kind: 'status5xx', code: 503, times: 40 });
    await eventually(
      () => h.sim.statusCalls().filter((c) => c.status === 503).length >= 25,
      'many failed reads',
      20_000,
    );
    const job = await h.app.store.getJob(jobId);
    expect(job?.state).toBe('running');
    expect(job?.tracking.noJobReadings).toBeUndefined();
    h.sim.clearFaults();
  });
});
