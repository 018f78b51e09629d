import { queueSchedule } from '../../../src/migration/queueSchedule';
import { queueText } from '../../../src/words/catalogue';
import { BOB, NOW, makeJob } from '../../helpers/jobs';

/** When each job of a queue is expected to start and end, and how the `queue` command says it. */

const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const running = (patch = {}) =>
  makeJob({
    id: 'job-running',
    state: 'running',
    approvedBy: BOB,
    approvedAt: at(-2 * HOUR),
    startedAt: at(-2 * HOUR),
    progress: { total: 4000, processed: 1000, throughput: 0.5, eta: at(6 * HOUR) },
    ...patch,
  });
const waiting = (id: string, registrations?: number) =>
  makeJob({
    id,
    state: 'queued',
    approvedBy: BOB,
    approvedAt: at(-HOUR),
    queuedAt: at(-HOUR),
    preflight:
      registrations === undefined
        ? undefined
        : {
            status: 'done',
            startedAt: at(-HOUR),
            evidence: [
              { check: 'source_counts', evidence: { outcome: 'passed', summary: '' }, counts: { registrations } },
            ],
          },
  });

it('starts each waiting job at the expected end of the one before, at the pace measured on the running one', () => {
  const s = queueSchedule({ active: running(), waiting: [waiting('a', 1800), waiting('b')] }, NOW);
  expect(s.pace).toBe('measured');
  expect(s.secondsPerRegistration).toBe(2);
  expect(s.entries.map((e) => e.startsAt?.toISOString())).toEqual([at(-2 * HOUR), at(6 * HOUR), at(7 * HOUR)]);
  // a: its Dataverse count (1,800 at 2 s); b: no count of its own, assumed the running one's size (4,000)
  expect(s.entries.map((e) => e.endsAt?.toISOString())).toEqual([at(6 * HOUR), at(7 * HOUR), at(7 * HOUR + 8000_000)]);
});

it("uses the documented pace (about 8 h for 4,000) before the running one's pace is measured", () => {
  const s = queueSchedule({ active: running({ progress: { total: 4000 } }), waiting: [waiting('a', 4000)] }, NOW);
  expect(s.pace).toBe('documented');
  expect(s.entries[0].endsAt?.toISOString()).toBe(at(6 * HOUR));
  expect(s.entries[1].endsAt!.getTime() - s.entries[1].startsAt!.getTime()).toBe(8 * HOUR);
});

it('says unknown for times it cannot know, and lists the line in order with ids and approvers', () => {
  const s = queueSchedule({ active: running({ progress: {} }), waiting: [waiting('a'), waiting('b', 10)] }, NOW);
  expect(s.entries[1].startsAt).toBeUndefined();
  const text = queueText(s);
  expect(text).toMatch(/\*\*Queue\*\*: 2 waiting/);
  expect(text.indexOf('job-running')).toBeLessThan(text.indexOf('`a`'));
  expect(text.indexOf('`a`')).toBeLessThan(text.indexOf('`b`'));
  expect(text).toMatch(/1\. waiting: .*approved by Bob Brown.*expected to start unknown/);
  expect(text).toContain(makeJob().fromEventId);
  expect(queueText(queueSchedule({ waiting: [] }, NOW))).toMatch(/Nothing runs and nothing waits/);
});
