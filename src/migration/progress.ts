import type { JobProgress, StatusReading, TrackingState } from './types';

/** Progress and ETA from a series of status readings. */

/** The documentation's only figure: about 8 hours for 4,000 registrations. */
export const DOCUMENTED_SECONDS_PER_REGISTRATION = 7.2;
const SAMPLE_WINDOW = 12;

export function percentOf(p: Pick<JobProgress, 'processed' | 'total' | 'failed' | 'percent'>): number | undefined {
  if (p.total !== undefined && p.total > 0 && p.processed !== undefined) {
    const done = p.processed + (p.failed ?? 0);
    return clamp(Math.floor((done / p.total) * 1000) / 10, 0, 100);
  }
  if (p.total === 0) return 100;
  return p.percent !== undefined ? clamp(p.percent, 0, 100) : undefined;
}

/** A comparable measure of work done: registrations when counted, else percent points. */
function workDone(p: JobProgress): number | undefined {
  if (p.total !== undefined && p.processed !== undefined) return p.processed + (p.failed ?? 0);
  return p.percent;
}

function workLeft(p: JobProgress): number | undefined {
  if (p.total !== undefined && p.processed !== undefined) return Math.max(0, p.total - p.processed - (p.failed ?? 0));
  return p.percent !== undefined ? Math.max(0, 100 - p.percent) : undefined;
}

export function addSample(
  samples: TrackingState['samples'],
  at: Date,
  done: number | undefined,
): TrackingState['samples'] {
  if (done === undefined) return samples;
  const next = [...samples, { at: at.toISOString(), processed: done }];
  return next.slice(-SAMPLE_WINDOW);
}

/** Work units a second over the sample window; undefined until two samples show movement. */
export function throughputOf(samples: TrackingState['samples']): number | undefined {
  if (samples.length < 2) return undefined;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = (Date.parse(last.at) - Date.parse(first.at)) / 1000;
  const moved = last.processed - first.processed;
  if (seconds <= 0 || moved <= 0) return undefined;
  return moved / seconds;
}

export function etaOf(progress: JobProgress, samples: TrackingState['samples'], now: Date): Date | undefined {
  const left = workLeft(progress);
  if (left === undefined) return undefined;
  if (left === 0) return now;
  const rate = throughputOf(samples);
  if (rate !== undefined) return new Date(now.getTime() + (left / rate) * 1000);
  // Before any measured throughput, the documented pace is the best prior there is (counts only).
  if (progress.total !== undefined) return new Date(now.getTime() + left * DOCUMENTED_SECONDS_PER_REGISTRATION * 1000);
  return undefined;
}

/** Fold one reading into the job's progress. */
export function nextProgress(
  previous: JobProgress,
  tracking: TrackingState,
  reading: StatusReading,
  now: Date,
): { progress: JobProgress; samples: TrackingState['samples']; moved: boolean } {
  const merged: JobProgress = {
    ...previous,
    serviceState: reading.state,
    rawState: reading.rawState,
    processed: reading.processed ?? previous.processed,
    total: reading.total ?? previous.total,
    failed: reading.failed ?? previous.failed,
    percent: reading.percent ?? previous.percent,
    errors: reading.errors.length > 0 ? reading.errors.slice(0, 50) : previous.errors,
    lastCheckedAt: now.toISOString(),
    rawSummary: reading.state === 'unknown' ? reading.rawSummary : undefined,
  };
  merged.percent = percentOf(merged);
  const before = workDone(previous);
  const after = workDone(merged);
  const moved = after !== undefined && (before === undefined || after > before);
  const samples = addSample(tracking.samples, now, after);
  const rate = throughputOf(samples);
  const eta = etaOf(merged, samples, now);
  return {
    progress: {
      ...merged,
      throughput: rate !== undefined && merged.total !== undefined ? rate : undefined,
      eta: eta?.toISOString(),
      lastProgressAt: moved || !previous.lastProgressAt ? now.toISOString() : previous.lastProgressAt,
    },
    samples,
    moved,
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
