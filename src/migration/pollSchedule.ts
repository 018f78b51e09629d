import type { Job } from './types';

/**
 * When to read the status next. The base interval is stretched while the end is far (a migration runs for
 * hours; a call a minute would be 480 calls for nothing), tightened as the ETA nears so the end is noticed
 * soon, and backed off exponentially while the service fails.
 */

export interface PollRules {
  baseMs: number;
  /** at most this many base intervals between two reads while the end is far */
  maxStretch: number;
  /** at most this many base intervals between two reads while the service fails */
  maxBackoff: number;
}

// A job can end long before its estimate (a failure half-way); two base intervals (2 min at the default) bound
// how late any end is seen, and still keep an 8-hour job near 250 calls.
export const defaultPollRules = (baseMs: number): PollRules => ({ baseMs, maxStretch: 2, maxBackoff: 10 });

export function nextPollDelay(job: Job, now: Date, rules: PollRules): number {
  const { baseMs } = rules;
  const errors = job.tracking.consecutiveErrors;
  if (errors > 0) return Math.min(baseMs * 2 ** Math.min(errors, 20), baseMs * rules.maxBackoff);
  // While the service says it has no job, the estimate means nothing: read at the base pace, so that the rule
  // ending a job the service no longer reports (15 readings over 15 intervals) takes about 15 intervals.
  if ((job.tracking.noJobReadings ?? 0) > 0) return baseMs;
  const eta = job.progress.eta ? Date.parse(job.progress.eta) : undefined;
  if (eta === undefined || Number.isNaN(eta)) return baseMs;
  const remaining = eta - now.getTime();
  // Past the estimate: the job is late, look often enough to notice the end promptly.
  if (remaining <= 0) return Math.max(1, Math.round(baseMs / 2));
  // A third of the remaining time never overshoots the estimate and converges on it.
  return Math.round(Math.min(Math.max(remaining / 3, baseMs / 4), baseMs * rules.maxStretch));
}
