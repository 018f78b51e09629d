import { cardText, startHarness, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, textMessages, untilDelivered, updatesOf } from '../../helpers/flow';
import { soon, SteppedTime } from './steppedTime';

/** The service stops making progress for a while, on a simulated clock (STATUS_POLL_INTERVAL_MS=60000). */

describe('a job that stalls', () => {
  let h: Harness;
  const time = new SteppedTime(Date.parse('2026-11-30T08:00:00.000Z'));
  beforeAll(async () => {
    h = await startHarness({
      env: { STATUS_POLL_INTERVAL_MS: '60000' },
      sim: { registrations: 1000, speed: 1000 / 3600, clock: { now: () => time.nowMs() } },
      overrides: { clock: time, scheduler: time },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('gets one "no progress" warning in the thread, whatever the stall lasts, and is still followed to its end', async () => {
    const { jobId, cardId } = await requestAndApprove(h);
    await soon(() => time.pending() > 0, 'the first status read to be scheduled');
    const step = async () => {
      const reads = h.sim.statusCalls().length;
      expect(time.fireNext()).toBe(true);
      await soon(
        async () =>
          h.sim.statusCalls().length > reads &&
          (time.pending() > 0 || (await h.app.store.getJob(jobId))?.state !== 'running'),
        'a stored read',
      );
    };
    const stepUntil = async (ms: number) => {
      const until = time.nowMs() + ms;
      while (time.nowMs() < until && (await h.app.store.getJob(jobId))?.state === 'running') await step();
    };
    const stalls = () => textMessages(h).filter((t) => /^No progress for \d+ minutes/.test(t.activity.text!));

    await stepUntil(10 * 60_000);
    h.sim.setSpeed(0);
    await stepUntil(25 * 60_000);
    expect(stalls()).toHaveLength(0);
    await stepUntil(2 * 3600_000);
    await h.app.dispatcher.idle();
    expect(stalls()).toHaveLength(1);
    expect(stalls()[0].activity.text).toMatch(/No progress for (3\d) minutes/);
    expect(stalls()[0].conversationId).toContain(';messageid=');
    const shown = updatesOf(h, cardId);
    expect(cardText(shown[shown.length - 1].activity.attachments![0].content)).toMatch(/No progress since/);

    h.sim.setSpeed(1000 / 3600);
    await stepUntil(24 * 3600_000);
    const end = await untilDelivered(h, jobId);
    expect(end.state).toBe('completed');
    expect(stalls()).toHaveLength(1);
  });
});
