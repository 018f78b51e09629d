import { changeSpeed, newJob, stopJob, viewJob, type SimJobSettings } from '../../../src/sim/job';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const HOUR = 3_600_000;
// the documented pace: 4,000 registrations in about 8 hours
const documented: SimJobSettings = {
  total: 4000,
  speed: 4000 / (8 * 3600),
  outcome: 'completed',
  failedCount: 0,
  queueMs: 60_000,
};

describe('a simulated job over simulated time', () => {
  it('waits in the queue, runs for about 8 hours and completes', () => {
    const job = newJob('a', 'b', documented, T0);
    expect(viewJob(job, T0 + 1000)).toMatchObject({ state: 'queued', processed: 0, startedAt: undefined });
    const mid = viewJob(job, T0 + 60_000 + 4 * HOUR);
    expect(mid).toMatchObject({ state: 'running', processed: 2000, percent: 50 });
    expect(mid.completedAt).toBeUndefined();
    const end = viewJob(job, T0 + 60_000 + 8 * HOUR);
    expect(end).toMatchObject({ state: 'completed', processed: 4000, failed: 0, percent: 100, errors: [] });
    expect(end.completedAt).toBe(new Date(T0 + 60_000 + 8 * HOUR).toISOString());
  });

  it('completes with errors, failures growing with progress', () => {
    const job = newJob('a', 'b', { ...documented, outcome: 'completed_with_errors', failedCount: 40, queueMs: 0 }, T0);
    expect(viewJob(job, T0 + 4 * HOUR)).toMatchObject({ state: 'running', failed: 20 });
    const end = viewJob(job, T0 + 9 * HOUR);
    expect(end).toMatchObject({ state: 'completed_with_errors', processed: 3960, failed: 40, percent: 100 });
    expect(end.errors).toHaveLength(20);
  });

  it('fails half-way with a reason', () => {
    const job = newJob('a', 'b', { ...documented, outcome: 'failed', queueMs: 0 }, T0);
    expect(viewJob(job, T0 + 3 * HOUR).state).toBe('running');
    const end = viewJob(job, T0 + 4 * HOUR + 1000);
    expect(end).toMatchObject({ state: 'failed', processed: 2000 });
    expect(end.errors.join(' ')).toContain('The migration failed');
  });

  it('freezes where it was when stopped', () => {
    const job = stopJob(newJob('a', 'b', { ...documented, queueMs: 0 }, T0), T0 + HOUR);
    expect(viewJob(job, T0 + 10 * HOUR)).toMatchObject({
      state: 'stopped',
      processed: 500,
      completedAt: new Date(T0 + HOUR).toISOString(),
    });
  });

  it('continues from where it is after a speed change', () => {
    const job = newJob('a', 'b', { ...documented, total: 1000, speed: 1, queueMs: 0 }, T0);
    const faster = changeSpeed(job, 100, T0 + 100_000);
    expect(viewJob(faster, T0 + 100_000).processed).toBe(100);
    expect(viewJob(faster, T0 + 105_000)).toMatchObject({ state: 'running', processed: 600 });
    expect(viewJob(faster, T0 + 110_000).state).toBe('completed');
    expect(viewJob(faster, T0 + 110_000).startedAt).toBe(new Date(T0).toISOString());
  });

  it('ends at once when there is nothing to migrate', () => {
    const job = newJob('a', 'b', { ...documented, total: 0, queueMs: 0 }, T0);
    expect(viewJob(job, T0)).toMatchObject({ state: 'completed', processed: 0, percent: 100 });
  });
});
