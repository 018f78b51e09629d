import { ADA, BEN, startHarness, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, request, textMessages } from '../../helpers/flow';
import { soon, SteppedTime } from './steppedTime';

/** `status` and `history` answer from the store and the last status read; they never call the service. */

/** Ids whose first 8 characters (what history shows) differ from each other and from the harness's ids. */
const idsFor = (n: number) => ({
  from: `${(0xa0000000 + n).toString(16)}-0000-4aaa-8aaa-000000000000`,
  to: `${(0xb0000000 + n).toString(16)}-0000-4bbb-8bbb-000000000000`,
});

async function answerTo(h: Harness, command: string): Promise<string> {
  const before = textMessages(h).length;
  expect(await h.say(command)).toBe(200);
  const answers = textMessages(h).slice(before);
  expect(answers).toHaveLength(1);
  return answers[0].activity.text!;
}

describe('status and history while a job is tracked', () => {
  let h: Harness;
  const time = new SteppedTime(Date.parse('2026-11-30T08:00:00.000Z'));
  beforeAll(async () => {
    h = await startHarness({
      env: { STATUS_POLL_INTERVAL_MS: '60000' },
      sim: { registrations: 4000, speed: 4000 / (8 * 3600), clock: { now: () => time.nowMs() } },
      overrides: { clock: time, scheduler: time },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('status: state, counts, percent, time left, requester and approver of the running job, from the store', async () => {
    const { jobId } = await requestAndApprove(h);
    await soon(() => time.pending() > 0, 'the first status read to be scheduled');
    for (let i = 0; i < 5; i++) {
      const reads = h.sim.statusCalls().length;
      time.fireNext();
      await soon(
        async () =>
          h.sim.statusCalls().length > reads &&
          time.pending() > 0 &&
          (await h.app.store.getJob(jobId))?.progress.lastCheckedAt === time.now().toISOString(),
        'a stored read',
      );
    }
    const job = (await h.app.store.getJob(jobId))!;
    expect(job.state).toBe('running');
    const p = job.progress;

    const reads = h.sim.statusCalls().length;
    const text = await answerTo(h, 'status');
    expect(h.sim.statusCalls().length).toBe(reads);
    expect(text).toMatch(/Running/);
    expect(text).toContain(`${p.processed} of 4,000`);
    expect(text).toMatch(/\(\d+(\.\d)? % done\)/);
    expect(text).toMatch(/Time left: about 7 h \d+ min/);
    expect(text).toContain(`Requested by ${ADA.name}`);
    expect(text).toContain(`Approved by ${BEN.name}`);
    expect(text).toContain('Last checked 2026-11-30');
  });

  it('history: the last 10 jobs, newest first', async () => {
    // Let the running job end, then eleven more requests (left waiting for approval): twelve jobs in all.
    h.sim.setSpeed(1000);
    const [running] = await h.app.store.jobsInStates(['running']);
    while ((await h.app.store.getJob(running.id))?.state === 'running') {
      const reads = h.sim.statusCalls().length;
      time.fireNext();
      await soon(
        async () =>
          h.sim.statusCalls().length > reads &&
          (time.pending() > 0 || (await h.app.store.getJob(running.id))?.state !== 'running'),
        'a stored read',
      );
    }
    for (let n = 1; n <= 11; n++) {
      time.advance(60_000);
      await request(h, idsFor(n));
    }
    const text = await answerTo(h, 'history');
    const rows = text.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(rows).toHaveLength(10);
    rows.forEach((row, i) => expect(row).toContain(`${idsFor(11 - i).from.slice(0, 8)}`));
    // The completed job and the first request are the oldest two: left out.
    expect(text).not.toMatch(/Completed/);
    expect(rows.every((r) => /Waiting for approval/.test(r) && r.includes(ADA.name))).toBe(true);
  });
});
