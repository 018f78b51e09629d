import type { QueueView } from './jobQueue';
import { DOCUMENTED_SECONDS_PER_REGISTRATION } from './progress';
import type { Job } from './types';

/**
 * When each job of a queue is expected to start and end: the running one by its own ETA, each waiting one after
 * the one before it, for as long as its registrations take at the pace measured on the running job (or, before
 * any measurement, the documented ~8 hours for 4,000). Pure: the `queue` command words it.
 */

export interface ScheduledJob {
  job: Job;
  /** absent when a job before it has no expected end (nothing to count its registrations by) */
  startsAt?: Date;
  endsAt?: Date;
  /** registrations the duration is based on, and where the count came from */
  registrations?: number;
}

export interface QueueSchedule {
  entries: ScheduledJob[];
  /** seconds a registration: measured on the running job, else the documentation's figure */
  secondsPerRegistration: number;
  pace: 'measured' | 'documented';
}

export function queueSchedule(view: QueueView, now: Date): QueueSchedule {
  const measured = view.active?.progress.throughput;
  const secondsPerRegistration = measured && measured > 0 ? 1 / measured : DOCUMENTED_SECONDS_PER_REGISTRATION;
  const pace = measured && measured > 0 ? 'measured' : 'documented';
  const entries: ScheduledJob[] = [];
  let nextStart: Date | undefined = now;
  if (view.active) {
    const active = view.active;
    const startsAt = new Date(active.startedAt ?? now.toISOString());
    const registrations = active.progress.total ?? registrationsOf(active);
    const endsAt = active.progress.eta
      ? new Date(Math.max(now.getTime(), Date.parse(active.progress.eta)))
      : registrations !== undefined
        ? new Date(Math.max(now.getTime(), startsAt.getTime() + registrations * secondsPerRegistration * 1000))
        : undefined;
    entries.push({ job: active, startsAt, endsAt, registrations });
    nextStart = endsAt;
  }
  // without a count of its own, a waiting job is assumed to be as large as the running one
  const fallback = view.active?.progress.total;
  for (const job of view.waiting) {
    const registrations = registrationsOf(job) ?? fallback;
    const startsAt = nextStart;
    const endsAt =
      startsAt && registrations !== undefined
        ? new Date(startsAt.getTime() + registrations * secondsPerRegistration * 1000)
        : undefined;
    entries.push({ job, startsAt, endsAt, registrations });
    nextStart = endsAt;
  }
  return { entries, secondsPerRegistration, pace };
}

/** The source's registrations as counted in Dataverse at the pre-flight checks, when they were. */
function registrationsOf(job: Job): number | undefined {
  const counts = job.preflight?.evidence?.find((e) => e.check === 'source_counts');
  return counts?.check === 'source_counts' ? counts.counts.registrations : undefined;
}
