import {
  applyPollError,
  applyReading,
  defaultTrackingRules,
  type TrackingDecision,
  type TrackingRules,
} from '../../../src/migration/trackingRules';
import type { Job, Notice, StatusReading } from '../../../src/migration/types';
import { noticeText } from '../../../src/words/catalogue';
import { ALICE, BOB, FROM, runningJob, TO } from '../../helpers/jobs';

/** What one status reading, or one failed read, means for a running job. */

const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const RULES: TrackingRules = defaultTrackingRules(60_000);

const reading = (patch: Partial<StatusReading> = {}): StatusReading => ({
  state: 'running',
  fromEventId: FROM,
  toEventId: TO,
  processed: 1000,
  total: 4000,
  failed: 0,
  errors: [],
  httpStatus: 200,
  rawSummary: '{}',
  startedAt: '2026-11-30T10:21:00.000Z',
  ...patch,
});

/** Applies a decision as the tracker stores it. */
const apply = (job: Job, d: TrackingDecision): Job => ({
  ...job,
  ...d.patch,
  state: d.to ?? job.state,
  outbox: [...job.outbox, ...d.notices.filter((n) => !job.outbox.some((o) => o.id === n.id))],
});

/** A notice as it is worded when delivered. */
const said = (job: Job, n: Notice) => noticeText(job, n);

const start = () =>
  runningJob({ progress: { processed: 1000, total: 4000, failed: 0, lastProgressAt: at(0).toISOString() } });

describe('milestones', () => {
  it('posts one message per milestone crossed, in the card thread, and never repeats it', () => {
    let job = start();
    const kinds: string[] = [];
    for (const [minute, processed] of [
      [1, 1100],
      [2, 2000],
      [3, 2050],
      [4, 2100],
    ] as const) {
      const d = applyReading(job, reading({ processed }), at(minute), RULES);
      kinds.push(...d.notices.map((n) => `${n.kind}:${n.inThread}`));
      job = apply(job, d);
    }
    // 1,000 of 4,000 was already 25 %: the first reading crosses it, 2,000 crosses 50; nothing else.
    expect(kinds).toEqual(['milestone:true', 'milestone:true']);
    expect(job.tracking.milestonesPosted.sort()).toEqual([25, 50]);
    expect(said(job, job.outbox[1]).text).toMatch(/^50 % done: 2,000 of 4,000/);
  });

  it('gives one message for the highest when a reading jumps over several', () => {
    const d = applyReading(
      runningJob({ progress: { processed: 10, total: 4000 } }),
      reading({ processed: 3100 }),
      at(1),
      RULES,
    );
    expect(d.notices.map((n) => n.kind)).toEqual(['milestone']);
    expect(said(runningJob(), d.notices[0]).text).toMatch(/^75 % done/);
    expect(d.patch.tracking!.milestonesPosted.sort()).toEqual([25, 50, 75]);
  });
});

describe('stalls', () => {
  it('warns once when the counts have not moved for the threshold, and again only after they moved', () => {
    let job = apply(start(), applyReading(start(), reading({ processed: 1000 }), at(0), RULES));
    job = { ...job, outbox: [] };
    const stalls = () => job.outbox.filter((n) => n.kind === 'stall').length;
    for (let m = 5; m <= 60; m += 5) job = apply(job, applyReading(job, reading({ processed: 1000 }), at(m), RULES));
    expect(stalls()).toBe(1);
    expect(
      said(
        job,
        job.outbox.find((n) => n.kind === 'stall')!,
      ).text,
    ).toMatch(/No progress for 30 minutes/);
    job = apply(job, applyReading(job, reading({ processed: 1001 }), at(61), RULES));
    expect(job.tracking.stallWarned).toBe(false);
    for (let m = 65; m <= 100; m += 5) job = apply(job, applyReading(job, reading({ processed: 1001 }), at(m), RULES));
    expect(stalls()).toBe(2);
  });
});

describe('lost contact', () => {
  it('warns once after enough failed reads over enough time, then says once that contact is back', () => {
    let job = start();
    const failure = new Error('The Events API is unavailable (503) after 5 attempts.');
    for (let m = 0; m <= 30; m += 2) {
      const d = applyPollError(job, failure, at(m), RULES);
      expect(d.to).toBeUndefined();
      job = apply(job, d);
    }
    expect(job.state).toBe('running');
    const lost = job.outbox.filter((n) => n.kind === 'lost_contact');
    expect(lost).toHaveLength(1);
    expect(said(job, lost[0]).text).toContain('since 2026-11-30 12:00 UTC');
    // not before the time threshold (10 min by default), however many errors
    expect(job.tracking.firstErrorAt).toBe(at(0).toISOString());

    expect(job.lastError).toContain('unavailable (503)');
    job = apply(job, applyReading(job, reading({ processed: 1200 }), at(32), RULES));
    expect(job.lastError).toBeUndefined();
    job = apply(job, applyReading(job, reading({ processed: 1300 }), at(34), RULES));
    expect(job.outbox.filter((n) => n.kind === 'back_in_contact')).toHaveLength(1);
    expect(job.tracking).toMatchObject({ consecutiveErrors: 0, lostContactWarned: false, firstErrorAt: undefined });
  });

  it('says nothing when reads fail only briefly', () => {
    let job = start();
    for (const m of [0, 1, 2, 3]) job = apply(job, applyPollError(job, new Error('timeout'), at(m), RULES));
    job = apply(job, applyReading(job, reading(), at(4), RULES));
    expect(job.outbox.map((n) => n.kind)).not.toContain('lost_contact');
    expect(job.outbox.map((n) => n.kind)).not.toContain('back_in_contact');
  });
});

describe('the end', () => {
  it.each([
    ['completed', 'completed', 'completed_alert'],
    ['completed_with_errors', 'completed_with_errors', 'ended_alert'],
    ['failed', 'failed', 'ended_alert'],
    ['stopped', 'stopped', 'ended_alert'],
  ] as const)(
    'service %s: the job ends %s with one %s to the channel mentioning both people',
    (serviceState, to, kind) => {
      const d = applyReading(
        start(),
        reading({ state: serviceState, processed: 4000, errors: ['Registration 7 failed'] }),
        at(5),
        RULES,
      );
      expect(d.to).toBe(to);
      const alert = d.notices.find((n) => n.kind === kind)!;
      expect(alert.inThread).toBe(false);
      expect(said(start(), alert).mentions.map((p) => p.id)).toEqual([ALICE.id, BOB.id]);
      expect(said(start(), alert).text).toContain(`<at>${ALICE.name}</at>`);
      expect(d.patch.endedAt).toBe(at(5).toISOString());
      expect(d.patch.progress?.eta).toBeUndefined();
      if (to !== 'completed') expect(d.patch.lastError).toContain('Registration 7 failed');
    },
  );

  it('a reading naming other events supersedes the job (ids compared without case)', () => {
    expect(
      applyReading(start(), reading({ fromEventId: FROM.toUpperCase(), toEventId: TO.toUpperCase() }), at(1), RULES).to,
    ).toBeUndefined();
    const d = applyReading(start(), reading({ toEventId: '99999999-9999-4999-8999-999999999999' }), at(1), RULES);
    expect(d.to).toBe('superseded');
    expect(d.notices.map((n) => n.kind)).toEqual(['ended_alert']);
  });

  it.each([
    [
      'no job',
      reading({
        state: 'no_job',
        fromEventId: undefined,
        toEventId: undefined,
        processed: undefined,
        total: undefined,
      }),
    ],
    [
      'an earlier run of the same events',
      reading({ state: 'completed', startedAt: '2026-11-29T09:00:00.000Z', processed: 10, total: 10 }),
    ],
    [
      'a shape nobody understands',
      reading({
        state: 'unknown',
        fromEventId: undefined,
        toEventId: undefined,
        processed: undefined,
        total: undefined,
        rawSummary: '{"phase":"P9"}',
      }),
    ],
  ])('%s: never ends the job, keeps the counts', (_what, r) => {
    const before = start();
    before.tracking = { ...before.tracking, milestonesPosted: [25] };
    const d = applyReading(before, r, at(1), RULES);
    expect(d.to).toBeUndefined();
    expect(d.notices).toEqual([]);
    const job = apply(before, d);
    expect(job.progress.processed).toBe(1000);
    expect(job.progress.lastCheckedAt).toBe(at(1).toISOString());
  });
});

describe('the lost-contact delay', () => {
  it('is ten poll intervals of failed reads, following STATUS_POLL_INTERVAL_MS', () => {
    expect(defaultTrackingRules(60_000).lostContactAfterMs).toBe(10 * 60_000);
    expect(defaultTrackingRules(1_000).lostContactAfterMs).toBe(10_000);
    expect(defaultTrackingRules(5 * 60_000).lostContactAfterMs).toBe(50 * 60_000);
  });

  it('marks the card for an update when the warning is raised, not on every failed read', () => {
    let job = start();
    const failure = new Error('The Events API is unavailable (503) after 5 attempts.');
    const dirty: boolean[] = [];
    for (let m = 0; m <= 30; m += 2) {
      const d = applyPollError(job, failure, at(m), RULES);
      dirty.push(d.patch.cardDirty === true);
      job = apply(job, d);
    }
    expect(dirty.filter(Boolean)).toHaveLength(1);
  });
});
