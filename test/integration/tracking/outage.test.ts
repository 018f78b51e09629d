import { eventually, startHarness, type Harness } from '../../helpers/botHarness';
import type { Fault } from '../../../src/sim/faults';
import { requestAndApprove, textMessages, untilDelivered, untilState } from '../../helpers/flow';

/** The Events API cannot be read for a while; the migration goes on on the service regardless. */

const idsFor = (n: number) => ({
  from: `${String(n).repeat(8)}-eeee-4eee-8eee-${String(n).repeat(12)}`,
  to: `${String(n).repeat(8)}-ffff-4fff-8fff-${String(n).repeat(12)}`,
});

describe.each([
  ['5xx answers', { kind: 'status5xx', code: 503 } as Fault, 1],
  ['dropped connections', { kind: 'hangup', on: 'status' } as Fault, 2],
])('a status outage of %s', (_what, fault, n) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      sim: { registrations: 400, speed: 100 },
      eventsApiRetry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 200 },
      overrides: {
        trackingRules: { lostContactAfterErrors: 3, lostContactAfterMs: 300 },
        pollRules: { maxBackoff: 2 },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('warns once that contact is lost, says once that it is back, and never fails the job', async () => {
    const { jobId } = await requestAndApprove(h, idsFor(n));
    await untilState(h, jobId, ['running']);
    await eventually(() => (h.sim.currentJob()?.processed ?? 0) > 20, 'some progress');

    h.sim.injectFault(fault);
    const lost = () => textMessages(h).filter((t) => /Lost contact with the Events API/.test(t.activity.text!));
    await eventually(() => lost().length > 0, 'the lost-contact warning');
    // The outage goes on past the warning: no second warning, and the job is still running.
    const failedReads = h.sim.statusCalls().filter((c) => c.status !== 200).length;
    await eventually(
      () => h.sim.statusCalls().filter((c) => c.status !== 200).length >= failedReads + 3,
      'more failed reads',
    );
    expect((await h.app.store.getJob(jobId))?.state).toBe('running');
    expect(lost()).toHaveLength(1);

    h.sim.clearFaults();
    const back = () => textMessages(h).filter((t) => /Back in contact with the Events API/.test(t.activity.text!));
    await eventually(() => back().length > 0, 'the back-in-contact message');

    const done = await untilState(h, jobId, ['completed', 'completed_with_errors', 'failed', 'stopped', 'superseded']);
    expect(done.state).toBe('completed');
    await untilDelivered(h, jobId);
    expect(lost()).toHaveLength(1);
    expect(back()).toHaveLength(1);
    // Both in the card's thread, not as new channel posts.
    expect([...lost(), ...back()].every((t) => t.conversationId === done.conversationId)).toBe(true);
  });
});
