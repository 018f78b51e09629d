import { isJobState, mayMove } from './lifecycle';
import { nextProgress } from './progress';
import type { Job, JobState, Notice, NoticeValues, StatusReading, TrackingState } from './types';

/**
 * What one status reading (or one failed read) means for a running job: the new state, the patch to store
 * and the notices to deliver. Pure, so every rule is testable without HTTP, timers or a database.
 */

export interface TrackingRules {
  /** post a milestone when the job crosses these percentages */
  milestones: readonly number[];
  /** warn once when the counts have not moved for this long */
  stallAfterMs: number;
  /** warn once when reads have failed for this long (and at least `lostContactAfterErrors` times) */
  lostContactAfterMs: number;
  lostContactAfterErrors: number;
  /** a job the service reports "no job" about this many times in a row, over at least `lostAfterMs`, is lost */
  lostAfterReadings: number;
  lostAfterMs: number;
}

export const defaultTrackingRules = (baseMs: number): TrackingRules => ({
  milestones: [25, 50, 75],
  stallAfterMs: Math.max(30 * 60_000, baseMs * 20),
  // ten poll intervals of failed reads: ten minutes at the default interval, and shorter or longer with it
  lostContactAfterMs: baseMs * 10,
  lostContactAfterErrors: 3,
  // fifteen poll intervals of "no job": fifteen minutes at the default interval; both bounds, so a stretched or
  // tightened schedule can neither end a job sooner nor on fewer readings
  lostAfterReadings: 15,
  lostAfterMs: baseMs * 15,
});

export interface TrackingDecision {
  /** the state to move to, when the reading ends or replaces the job */
  to?: JobState;
  patch: Partial<Job>;
  notices: Notice[];
  note?: string;
  /** what the service answered, for the audit trail of a transition */
  detail?: string;
}

/** A service state that names one of the running job's endings in the life table ends the job in it. */
function endingOf(state: StatusReading['state']): JobState | undefined {
  return isJobState(state) && mayMove('running', state) ? state : undefined;
}

export function isSupersededBy(job: Job, reading: StatusReading): boolean {
  const differs = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() !== b;
  return differs(reading.fromEventId, job.fromEventId) || differs(reading.toEventId, job.toEventId);
}

/** Clocks differ between the service and the bot; a minute of slack keeps a fresh job from looking old. */
const CLOCK_SLACK_MS = 60_000;

/** A reading about an earlier run of the same ids (the service has not switched to the new job yet). */
export function isStaleReading(job: Job, reading: StatusReading): boolean {
  const started = reading.startedAt ? Date.parse(reading.startedAt) : NaN;
  const approved = Date.parse(job.promotedAt ?? job.approvedAt ?? job.requestedAt);
  return !Number.isNaN(started) && started < approved - CLOCK_SLACK_MS;
}

export function applyReading(job: Job, reading: StatusReading, now: Date, rules: TrackingRules): TrackingDecision {
  const notices: Notice[] = [];
  const tracking: TrackingState = { ...job.tracking };
  if (tracking.lostContactWarned)
    notices.push(noticeOf(job, { kind: 'back_in_contact', state: job.state, progress: job.progress }, true, now));
  tracking.consecutiveErrors = 0;
  tracking.firstErrorAt = undefined;
  tracking.lostContactWarned = false;
  if (reading.state === 'no_job') return applyNoJob(job, { tracking, notices, detail: reading.rawSummary }, now, rules);
  tracking.noJobReadings = undefined;
  tracking.firstNoJobAt = undefined;

  if (isSupersededBy(job, reading)) {
    const ended: Job = { ...job, state: 'superseded', endedAt: now.toISOString() };
    const note = `the service now reports a migration of ${reading.fromEventId ?? '?'} -> ${reading.toEventId ?? '?'}`;
    const patch = {
      tracking,
      endedAt: ended.endedAt,
      lastError: `Replaced: ${note}.`,
      progress: { ...job.progress, lastCheckedAt: now.toISOString() },
    };
    return {
      to: 'superseded',
      patch,
      notices: [...notices, alert({ ...ended, ...patch }, now)],
      note,
      detail: reading.rawSummary,
    };
  }

  const recovered = recoveredOf(job);

  if (isStaleReading(job, reading)) {
    // Not about this job (yet): keep polling and keep the counts as they were.
    return {
      patch: {
        ...recovered,
        tracking,
        progress: { ...job.progress, lastCheckedAt: now.toISOString() },
        cardDirty: true,
      },
      notices,
    };
  }

  const next = nextProgress(job.progress, tracking, reading, now);
  next.progress.lastReportedAt = now.toISOString();
  tracking.samples = next.samples;
  if (next.moved) tracking.stallWarned = false;
  const patch: Partial<Job> = { ...recovered, progress: next.progress, tracking, cardDirty: true };

  const finalState = endingOf(reading.state);
  if (finalState) {
    const progress =
      finalState === 'completed'
        ? { ...next.progress, percent: 100, eta: undefined }
        : { ...next.progress, eta: undefined };
    const ended: Job = { ...job, ...patch, progress, state: finalState, endedAt: now.toISOString() };
    const lastError = finalState === 'completed' ? undefined : describeEnd(reading);
    return {
      to: finalState,
      patch: { ...patch, progress, endedAt: ended.endedAt, lastError },
      notices: [...notices, alert({ ...ended, lastError }, now)],
      note: `service reported ${reading.rawState ?? reading.state}`,
      detail: reading.rawSummary,
    };
  }

  const percent = next.progress.percent;
  if (percent !== undefined) {
    const crossed = rules.milestones.filter((m) => percent >= m && !tracking.milestonesPosted.includes(m));
    if (crossed.length > 0) {
      // A jump over several milestones gives one message, for the highest.
      const top = Math.max(...crossed);
      tracking.milestonesPosted = [...tracking.milestonesPosted, ...crossed];
      notices.push(noticeOf(job, { kind: 'milestone', percent: top, progress: next.progress }, true, now, String(top)));
    }
  }

  const lastMove = Date.parse(next.progress.lastProgressAt ?? job.startedAt ?? now.toISOString());
  const stalledMs = now.getTime() - lastMove;
  if (!next.moved && !tracking.stallWarned && stalledMs >= rules.stallAfterMs) {
    tracking.stallWarned = true;
    const minutes = Math.round(stalledMs / 60_000);
    notices.push(noticeOf(job, { kind: 'stall', minutes, progress: next.progress }, true, now));
  }
  return { patch, notices };
}

/** A read error is over once a read succeeds; `status` would otherwise keep showing it for the rest of the run. */
function recoveredOf(job: Job): Partial<Job> {
  return job.tracking.consecutiveErrors > 0 ? { lastError: undefined } : {};
}

/**
 * The service says it has no job (`None`, 204, a 404 saying so). Right after a start that can be the service
 * catching up, so one reading changes nothing but the card's warning; readings in a row, over enough time, mean
 * the service no longer knows the job (its list was reset, the tool withdrawn) and following it would hold the
 * environment for ever: the job ends as lost. A failed read is not such a reading (see `applyPollError`).
 */
function applyNoJob(
  job: Job,
  read: { tracking: TrackingState; notices: Notice[]; detail: string },
  now: Date,
  rules: TrackingRules,
): TrackingDecision {
  const { tracking, notices } = read;
  tracking.noJobReadings = (tracking.noJobReadings ?? 0) + 1;
  tracking.firstNoJobAt = tracking.firstNoJobAt ?? now.toISOString();
  const progress = { ...job.progress, lastCheckedAt: now.toISOString() };
  const patch: Partial<Job> = { ...recoveredOf(job), tracking, progress, cardDirty: true };
  const since = Date.parse(tracking.firstNoJobAt);
  if (tracking.noJobReadings < rules.lostAfterReadings || now.getTime() - since < rules.lostAfterMs) {
    return { patch, notices };
  }
  const endedAt = now.toISOString();
  const progressEnded = { ...progress, eta: undefined };
  const alertValues = { kind: 'lost_alert' as const, since: tracking.firstNoJobAt, progress: progressEnded };
  return {
    to: 'lost',
    // No error to show: the card's sentence says what happened, the audit note how often the service said so.
    patch: { ...patch, progress: progressEnded, endedAt, lastError: undefined },
    notices: [...notices, noticeOf(job, alertValues, false, now)],
    note: `the service reported no job ${tracking.noJobReadings} times since ${tracking.firstNoJobAt}`,
    detail: read.detail,
  };
}

export function applyPollError(job: Job, error: Error, now: Date, rules: TrackingRules): TrackingDecision {
  const tracking: TrackingState = { ...job.tracking };
  tracking.consecutiveErrors += 1;
  tracking.firstErrorAt = tracking.firstErrorAt ?? now.toISOString();
  const notices: Notice[] = [];
  const since = Date.parse(tracking.firstErrorAt);
  if (
    !tracking.lostContactWarned &&
    tracking.consecutiveErrors >= rules.lostContactAfterErrors &&
    now.getTime() - since >= rules.lostContactAfterMs
  ) {
    tracking.lostContactWarned = true;
    const values = { kind: 'lost_contact' as const, since: new Date(since).toISOString(), lastError: job.lastError };
    notices.push(noticeOf(job, values, true, now));
  }
  // A failed read never fails the job: the migration runs on the service whether we can see it or not.
  // The card shows the warning too, so raising it redraws the card (a reading redraws it again when it ends).
  const redraw = tracking.lostContactWarned !== job.tracking.lostContactWarned ? { cardDirty: true } : {};
  return { patch: { tracking, lastError: error.message, ...redraw }, notices };
}

function describeEnd(reading: StatusReading): string {
  const errors = reading.errors.slice(0, 3).join('; ');
  const what = `The service reported "${reading.rawState ?? reading.state}"`;
  return errors ? `${what}: ${errors}` : `${what}.`;
}

function alert(job: Job, now: Date): Notice {
  if (job.state === 'completed') return noticeOf(job, { kind: 'completed_alert', progress: job.progress }, false, now);
  const values = { kind: 'ended_alert' as const, state: job.state, progress: job.progress, lastError: job.lastError };
  return noticeOf(job, values, false, now);
}

/** A notice's id names its job, kind and moment (or milestone), so storing it twice keeps one. */
export function noticeOf(job: Job, values: NoticeValues, inThread: boolean, now: Date, suffix = ''): Notice {
  return {
    ...values,
    id: `${job.id}:${values.kind}:${suffix || now.getTime()}`,
    inThread,
    queuedAt: now.toISOString(),
  };
}
