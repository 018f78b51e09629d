import { cardText, startHarness, type Harness } from '../../helpers/botHarness';
import { requestAndApprove, untilDelivered, updatesOf } from '../../helpers/flow';
import { soon, SteppedTime } from './steppedTime';

/**
 * The ETA a person reads on the card half-way through a steady job, against the time that really remained.
 * The bot and the simulator share a stepped clock, so an hour-long job runs in about as many steps as the bot
 * makes status reads.
 */

const REGISTRATIONS = 1000;

/** A time as the card writes it after `label`: `2026-11-30 10:00 UTC`, or Teams' `{{DATE(<iso>, SHORT)}}`. */
function timeIn(text: string, label: string): number {
  const at = text.indexOf(label);
  if (at < 0) return NaN;
  const rest = text.slice(at + label.length);
  const utc = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d(?::\d\d)?) UTC/.exec(rest);
  if (utc) return Date.parse(`${utc[1]}T${utc[2].length === 5 ? `${utc[2]}:00` : utc[2]}Z`);
  const teams = /^\{\{DATE\(([^,]+), SHORT\)\}\}/.exec(rest);
  return teams ? Date.parse(teams[1]) : NaN;
}
/** twice the documented pace (7.2 s a registration), so only a measured throughput gives the right answer */
const SPEED = 2 / 7.2;

describe('the estimate of the time left', () => {
  let h: Harness;
  const time = new SteppedTime(Date.parse('2026-11-30T08:00:00.000Z'));
  beforeAll(async () => {
    h = await startHarness({
      env: { STATUS_POLL_INTERVAL_MS: '60000' },
      sim: { registrations: REGISTRATIONS, speed: SPEED, clock: { now: () => time.nowMs() } },
      overrides: { clock: time, scheduler: time },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is within 10 % of the time that really remained, at half-way', async () => {
    const { jobId, cardId } = await requestAndApprove(h);
    await soon(() => time.pending() > 0, 'the first status read to be scheduled');
    let reads = 0;
    for (;;) {
      const before = h.sim.statusCalls().length;
      expect(time.fireNext()).toBe(true);
      await soon(() => h.sim.statusCalls().length > before, 'the status read');
      const job = await soon(async () => {
        const j = await h.app.store.getJob(jobId);
        return j && (j.state !== 'running' || time.pending() > 0) ? j : undefined;
      }, 'the read to be stored');
      reads += 1;
      if (job.state !== 'running') break;
      expect(reads).toBeLessThan(500);
    }
    const end = await untilDelivered(h, jobId);
    expect(end.state).toBe('completed');
    const endedOnService = Date.parse(h.sim.currentJob()!.completedAt!);

    // What the card said at the first update that showed half of the work done.
    const shown = updatesOf(h, cardId)
      .map((u) => cardText(u.activity.attachments![0].content))
      .map((text) => ({
        percent: Number(/\((\d+(?:\.\d+)?) % done\)/.exec(text)?.[1] ?? NaN),
        eta: timeIn(text, 'ends around '),
        checked: timeIn(text, 'Last checked\n'),
      }));
    const halfway = shown.find((s) => s.percent >= 50);
    expect(halfway).toBeDefined();
    expect(halfway!.percent).toBeLessThan(60);
    const reallyLeft = endedOnService - halfway!.checked;
    const estimatedLeft = halfway!.eta - halfway!.checked;
    expect(Math.abs(estimatedLeft - reallyLeft)).toBeLessThanOrEqual(0.1 * reallyLeft);
    // An hour-long job: the reads were spaced out, yet the end was seen within 2 minutes.
    expect(reads).toBeLessThanOrEqual(60);
    expect(Date.parse(end.endedAt!) - endedOnService).toBeLessThanOrEqual(120_000);
    process.stdout.write(
      `ETA at ${halfway!.percent} %: ${Math.round(estimatedLeft / 1000)} s left shown, ${Math.round(reallyLeft / 1000)} s really; ${reads} status reads\n`,
    );
  });
});
