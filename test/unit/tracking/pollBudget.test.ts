import { parseStatus } from '../../../src/events-api/statusParser';
import { defaultPollRules, nextPollDelay } from '../../../src/migration/pollSchedule';
import { applyReading, defaultTrackingRules, type TrackingDecision } from '../../../src/migration/trackingRules';
import type { Job } from '../../../src/migration/types';
import { changeSpeed, newJob, viewJob, type SimJob } from '../../../src/sim/job';
import { renderStatus, type StatusVariant } from '../../../src/sim/variants';
import { FROM, runningJob, TO } from '../../helpers/jobs';

/**
 * The poll schedule over a whole simulated job, on a fake clock: every status call goes through the simulator's
 * answer, the tolerant parser and the tracking rules, exactly as the tracker does, without timers or HTTP.
 */

const BASE_MS = 60_000;
const HOURS_8 = 8 * 3600_000;
const START = Date.parse('2026-11-30T08:00:00.000Z');

interface Run {
  calls: number;
  /** how long after the service's end the bot saw it */
  noticedAfterMs: number;
  longestGapMs: number;
  job: Job;
}

function followToTheEnd(
  sim: SimJob,
  variant: StatusVariant,
  speedChanges: Array<{ atMs: number; speed: number }> = [],
): Run {
  const pollRules = defaultPollRules(BASE_MS);
  const trackingRules = defaultTrackingRules(BASE_MS);
  let job: Job = runningJob({
    approvedAt: new Date(START).toISOString(),
    startedAt: new Date(START).toISOString(),
    progress: { serviceState: 'queued', lastProgressAt: new Date(START).toISOString() },
  });
  let now = START;
  let calls = 0;
  let longestGapMs = 0;
  const pending = [...speedChanges];
  for (
    let delay = nextPollDelay(job, new Date(now), pollRules);
    calls < 10_000;
    delay = nextPollDelay(job, new Date(now), pollRules)
  ) {
    longestGapMs = Math.max(longestGapMs, delay);
    now += delay;
    while (pending.length > 0 && START + pending[0].atMs <= now) {
      const change = pending.shift()!;
      sim = changeSpeed(sim, change.speed, START + change.atMs);
    }
    const answer = renderStatus(variant, viewJob(sim, now));
    calls += 1;
    const decision: TrackingDecision = applyReading(
      job,
      parseStatus(answer.status, answer.body ?? ''),
      new Date(now),
      trackingRules,
    );
    job = { ...job, ...decision.patch, state: decision.to ?? job.state, outbox: [...job.outbox, ...decision.notices] };
    if (job.state !== 'running') break;
  }
  const endedAt = Date.parse(viewJob(sim, now).completedAt ?? 'x');
  return { calls, noticedAfterMs: now - endedAt, longestGapMs, job };
}

function steadyJob(
  registrations: number,
  durationMs: number,
  outcome: SimJob['settings']['outcome'] = 'completed',
): SimJob {
  return newJob(
    FROM,
    TO,
    { total: registrations, speed: registrations / (durationMs / 1000), outcome, failedCount: 0, queueMs: 0 },
    START,
  );
}

describe('poll schedule over an 8-hour job of 4,000 registrations (STATUS_POLL_INTERVAL_MS=60000)', () => {
  it('uses at most 600 status calls and notices the end within 2 minutes', () => {
    const run = followToTheEnd(steadyJob(4000, HOURS_8), 'flat');
    expect(run.job.state).toBe('completed');
    expect(run.calls).toBeLessThanOrEqual(600);
    expect(run.noticedAfterMs).toBeGreaterThanOrEqual(0);
    expect(run.noticedAfterMs).toBeLessThanOrEqual(120_000);
    // The channel hears of 25, 50 and 75 % once each, and nothing else while the job runs.
    expect(run.job.outbox.map((n) => n.kind)).toEqual(['milestone', 'milestone', 'milestone', 'completed_alert']);
    // Reported by the test run, so the numbers behind the schedule are visible in CI logs.
    process.stdout.write(
      `8 h / 4,000 registrations, base 60 s: ${run.calls} status calls, end seen ${Math.round(run.noticedAfterMs / 1000)} s late, longest gap ${run.longestGapMs / 1000} s\n`,
    );
  });

  it('stays within budget when the service reports only a percentage (no counts, no documented prior)', () => {
    const run = followToTheEnd(steadyJob(4000, HOURS_8), 'percent');
    expect(run.job.state).toBe('completed');
    expect(run.calls).toBeLessThanOrEqual(600);
    expect(run.noticedAfterMs).toBeLessThanOrEqual(120_000);
    process.stdout.write(
      `8 h, percent only: ${run.calls} status calls, end seen ${Math.round(run.noticedAfterMs / 1000)} s late\n`,
    );
  });

  it('still notices the end within 2 minutes when the job speeds up past the estimate', () => {
    // Half the job at the documented pace, then four times faster: the estimate made at first is far too late.
    const run = followToTheEnd(steadyJob(4000, HOURS_8), 'flat', [
      { atMs: HOURS_8 / 2, speed: (4000 / (HOURS_8 / 1000)) * 4 },
    ]);
    expect(run.job.state).toBe('completed');
    expect(run.calls).toBeLessThanOrEqual(600);
    process.stdout.write(
      `8 h job that speeds up 4x half-way: ${run.calls} status calls, end seen ${Math.round(run.noticedAfterMs / 1000)} s late, longest gap ${run.longestGapMs / 1000} s\n`,
    );
    expect(run.noticedAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('notices a failure half-way within 2 minutes, although the estimate said hours were left', () => {
    // The simulator's failing job gives up at half its registrations: an end no estimate foresees. Jobs of
    // slightly different lengths end at every phase of the poll cycle, so the worst case shows.
    const runs = Array.from({ length: 24 }, (_, k) =>
      followToTheEnd(steadyJob(4000, HOURS_8 + k * 13_000, 'failed'), 'flat'),
    );
    expect(runs.every((r) => r.job.state === 'failed')).toBe(true);
    const worst = Math.max(...runs.map((r) => r.noticedAfterMs));
    process.stdout.write(
      `8 h job failing half-way: up to ${Math.max(...runs.map((r) => r.calls))} status calls, end seen up to ${Math.round(worst / 1000)} s late\n`,
    );
    expect(worst).toBeLessThanOrEqual(120_000);
  });
});
