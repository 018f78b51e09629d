/**
 * A simulated migration job: pure functions of the job's settings and the clock, so a test can jump
 * an 8-hour job to its end by moving a fake clock.
 */

export type SimOutcome = 'completed' | 'completed_with_errors' | 'failed';
export const SIM_OUTCOMES: readonly SimOutcome[] = ['completed', 'completed_with_errors', 'failed'];

export type SimJobState = 'queued' | 'running' | 'completed' | 'completed_with_errors' | 'failed' | 'stopped';

export interface SimJobSettings {
  total: number;
  /** registrations a second */
  speed: number;
  outcome: SimOutcome;
  /** registrations that fail when the outcome is completed_with_errors */
  failedCount: number;
  /** time between the start call and the first registration */
  queueMs: number;
}

export interface SimJob {
  fromEventId: string;
  toEventId: string;
  settings: SimJobSettings;
  createdAt: number;
  /** when the first registration is taken (after the queue time) */
  startsAt: number;
  /** progress is linear from (baseAt, baseProcessed) at `speed`; a speed change re-bases it */
  baseAt: number;
  baseProcessed: number;
  stoppedAt?: number;
}

/** What the service would report about the job at a moment. */
export interface SimJobView {
  state: SimJobState;
  fromEventId: string;
  toEventId: string;
  processed: number;
  total: number;
  failed: number;
  percent: number;
  errors: string[];
  startedAt?: string;
  completedAt?: string;
}

const MAX_ERROR_MESSAGES = 20;

export function newJob(fromEventId: string, toEventId: string, settings: SimJobSettings, now: number): SimJob {
  const startsAt = now + settings.queueMs;
  return { fromEventId, toEventId, settings, createdAt: now, startsAt, baseAt: startsAt, baseProcessed: 0 };
}

/** How many registrations the job handles before it ends (a failing job gives up half-way). */
function endCount(job: SimJob): number {
  const { total, outcome } = job.settings;
  return outcome === 'failed' ? Math.floor(total / 2) : total;
}

function rawProcessed(job: SimJob, at: number): number {
  const elapsedMs = Math.max(0, at - job.baseAt);
  return job.baseProcessed + (elapsedMs / 1000) * job.settings.speed;
}

/** The moment the job reaches its end count; Infinity when it never will (speed 0). */
export function endTime(job: SimJob): number {
  const remaining = endCount(job) - job.baseProcessed;
  if (remaining <= 0) return job.baseAt;
  return job.settings.speed > 0 ? job.baseAt + Math.ceil((remaining / job.settings.speed) * 1000) : Infinity;
}

function failedAt(job: SimJob, processed: number): number {
  const { total, failedCount, outcome } = job.settings;
  if (outcome !== 'completed_with_errors' || total === 0) return 0;
  return Math.min(processed, Math.floor((processed * failedCount) / total));
}

function stateAt(job: SimJob, at: number): SimJobState {
  if (job.stoppedAt !== undefined && job.stoppedAt <= at) return 'stopped';
  if (at < job.startsAt) return 'queued';
  if (at >= endTime(job)) return job.settings.outcome;
  return 'running';
}

function errorMessages(job: SimJob, state: SimJobState, failed: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= Math.min(failed, MAX_ERROR_MESSAGES); i++) {
    out.push(`Registration ${i} could not be migrated: the contact has no email address.`);
  }
  if (state === 'failed') out.push('The migration failed: the real-time event is no longer a draft.');
  return out;
}

export function viewJob(job: SimJob, now: number): SimJobView {
  const at = job.stoppedAt !== undefined ? Math.min(now, job.stoppedAt) : now;
  const state = stateAt(job, now);
  const handled = Math.floor(Math.min(endCount(job), rawProcessed(job, at)));
  const failed = failedAt(job, handled);
  // The count fields all mean registrations migrated (succeeded); failures are counted apart, never in both.
  const processed = handled - failed;
  const total = job.settings.total;
  const ended = state !== 'queued' && state !== 'running';
  const endedAt = job.stoppedAt ?? endTime(job);
  return {
    state,
    fromEventId: job.fromEventId,
    toEventId: job.toEventId,
    processed,
    total,
    failed,
    percent: total === 0 ? (ended ? 100 : 0) : Math.floor((handled / total) * 100),
    errors: errorMessages(job, state, failed),
    startedAt: state === 'queued' ? undefined : new Date(job.startsAt).toISOString(),
    completedAt: ended && Number.isFinite(endedAt) ? new Date(endedAt).toISOString() : undefined,
  };
}

export function isActive(job: SimJob, now: number): boolean {
  const state = stateAt(job, now);
  return state === 'queued' || state === 'running';
}

export function stopJob(job: SimJob, now: number): SimJob {
  return { ...job, stoppedAt: now };
}

/** The same job continuing from where it is now at another speed. */
export function changeSpeed(job: SimJob, speed: number, now: number): SimJob {
  // An ended job stays ended: its end time is derived from the speed, so a new speed would revive it.
  if (!isActive(job, now)) return job;
  if (now < job.startsAt) return { ...job, settings: { ...job.settings, speed } };
  return { ...job, baseAt: now, baseProcessed: rawProcessed(job, now), settings: { ...job.settings, speed } };
}
