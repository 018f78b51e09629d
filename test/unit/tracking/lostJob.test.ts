import {
  applyPollError,
  applyReading,
  defaultTrackingRules,
  type TrackingDecision,
} from '../../../src/migration/trackingRules';
import type { Job, StatusReading } from '../../../src/migration/types';
import { jobCard } from '../../../src/cards/views/jobCard';
import { defaultPollRules, nextPollDelay } from '../../../src/migration/pollSchedule';
import { noticeText } from '../../../src/words/catalogue';
import { FROM, runningJob, TO } from '../../helpers/jobs';

/** A job the service stops reporting ("no job" in a row, long enough) ends as lost; nothing else does. */

const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const BASE = 60_000;
const RULES = defaultTrackingRules(BASE);
const at = (intervals: number) => new Date(T0 + intervals * BASE);

const noJob: StatusReading = { state: 'no_job', errors: [], httpStatus: 204, rawSummary: '' };
const runningReading: StatusReading = {
  state: 'running',
  fromEventId: FROM,
  toEventId: TO,
  processed: 1200,
  total: 4000,
  errors: [],
  httpStatus: 200,
  rawSummary: '{"status":"Running"}',
};

const apply = (job: Job, d: TrackingDecision): Job => ({
  ...job,
  ...d.patch,
  state: d.to ?? job.state,
  outbox: [...job.outbox, ...d.notices.filter((n) => !job.outbox.some((o) => o.id === n.id))],
});

/** Feeds readings at the given moments (in base intervals); stops at the first ending. */
function feed(job: Job, moments: number[], reading: (i: number) => StatusReading = () => noJob): Job {
  let current = job;
  moments.forEach((m, i) => {
    if (current.state !== 'running') return;
    current = apply(current, applyReading(current, reading(i), at(m), RULES));
  });
  return current;
}

const range = (n: number, step = 1) => Array.from({ length: n }, (_, i) => i * step);
const cardText = (job: Job) => JSON.stringify(jobCard(job, { now: at(100) }).data);

describe('a job the service no longer reports', () => {
  it('warns on the card from the first "no job" reading, and keeps running', () => {
    const job = feed(runningJob(), [0]);
    expect(job.state).toBe('running');
    expect(job.tracking.noJobReadings).toBe(1);
    expect(job.cardDirty).toBe(true);
    expect(cardText(job)).toMatch(/The service reports no migration running since 2026-11-30 12:00 UTC/);
    expect(job.outbox).toEqual([]);
  });

  it('ends as lost at the 15th reading in a row once they span 15 intervals, with one alert to both people', () => {
    // 16 readings one interval apart: the 15th spans only 14 intervals, the 16th spans 15
    const before = feed(runningJob(), range(15));
    expect(before.state).toBe('running');
    const lost = feed(before, [15]);
    expect(lost.state).toBe('lost');
    expect(lost.endedAt).toBe(at(15).toISOString());
    const alerts = lost.outbox.filter((n) => n.kind === 'lost_alert');
    expect(alerts).toHaveLength(1);
    const said = noticeText(lost, alerts[0]);
    expect(said.mentions.map((p) => p.name)).toEqual(['Alice Adams', 'Bob Brown']);
    expect(said.text).toMatch(/no longer reports this migration/);
    expect(said.text).toMatch(/add the few missing by hand/);
    expect(said.text).toMatch(/new draft real-time event/);
    const card = cardText(lost);
    expect(card).toContain('No longer reported');
    expect(card).toMatch(/compare its registrations with those of the outbound event/);
    expect(card).toMatch(/only a few are missing, add them to the real-time event by hand/);
    expect(card).toMatch(/many are missing, create a new draft real-time event and run the migration again/);
  });

  it('is read at the base interval while "no job" lasts, whatever the old estimate said', () => {
    const far = runningJob({ progress: { eta: at(600).toISOString() } });
    expect(nextPollDelay(far, at(0), defaultPollRules(BASE))).toBe(2 * BASE);
    expect(nextPollDelay(feed(far, [0]), at(0), defaultPollRules(BASE))).toBe(BASE);
  });

  it('does not end on 15 readings that span less than 15 intervals (a tightened schedule)', () => {
    const job = feed(runningJob(), range(40, 0.25)); // 40 readings over 9.75 intervals
    expect(job.state).toBe('running');
    expect(job.tracking.noJobReadings).toBe(40);
    expect(feed(job, [15]).state).toBe('lost');
  });

  it('does not end on readings spanning 15 intervals but fewer than 15 of them (a stretched schedule)', () => {
    const job = feed(runningJob(), range(14, 2)); // 14 readings over 26 intervals
    expect(job.state).toBe('running');
    expect(feed(job, [28]).state).toBe('lost');
  });

  it('starts counting again after a reading about the job, and the warning goes', () => {
    const interrupted = feed(runningJob(), [...range(14), 14, ...range(15).map((m) => m + 15)], (i) =>
      i === 14 ? runningReading : noJob,
    );
    expect(interrupted.state).toBe('running');
    expect(interrupted.tracking.noJobReadings).toBe(15);
    const back = feed(interrupted, [40], () => runningReading);
    expect(back.tracking.noJobReadings).toBeUndefined();
    expect(back.progress.lastReportedAt).toBe(at(40).toISOString());
    expect(cardText(back)).not.toMatch(/reports no migration running/);
  });

  it('a reading about another migration still supersedes the job, whatever came before', () => {
    const other = { ...runningReading, fromEventId: '99999999-9999-4999-8999-999999999999' };
    const job = feed(runningJob(), [...range(10), 10], (i) => (i === 10 ? other : noJob));
    expect(job.state).toBe('superseded');
  });

  it('failed reads are lost contact, never "no job": the job runs on for as long as they last', () => {
    let job = runningJob();
    for (const m of range(60)) job = apply(job, applyPollError(job, new Error('timeout'), at(m), RULES));
    expect(job.state).toBe('running');
    expect(job.tracking.lostContactWarned).toBe(true);
    expect(job.tracking.noJobReadings).toBeUndefined();
    expect(job.outbox.map((n) => n.kind)).toEqual(['lost_contact']);
  });

  it('failed reads between "no job" readings neither count nor start the count again', () => {
    let job = feed(runningJob(), range(8));
    for (const m of [8, 9, 10]) job = apply(job, applyPollError(job, new Error('timeout'), at(m), RULES));
    expect(job.tracking.noJobReadings).toBe(8);
    job = feed(
      job,
      range(7).map((m) => m + 11),
    );
    expect(job.state).toBe('lost');
  });
});
