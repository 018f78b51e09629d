import {
  DOCUMENTED_SECONDS_PER_REGISTRATION,
  etaOf,
  nextProgress,
  percentOf,
  throughputOf,
} from '../../../src/migration/progress';
import type { StatusReading, TrackingState } from '../../../src/migration/types';

const T0 = Date.parse('2026-11-30T08:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const sample = (seconds: number, processed: number) => ({ at: at(seconds).toISOString(), processed });
const tracking = (samples: TrackingState['samples'] = []): TrackingState => ({
  consecutiveErrors: 0,
  lostContactWarned: false,
  stallWarned: false,
  milestonesPosted: [],
  samples,
});
const reading = (patch: Partial<StatusReading>): StatusReading => ({
  state: 'running',
  errors: [],
  httpStatus: 200,
  rawSummary: '{}',
  ...patch,
});

describe('percent done', () => {
  it('counts failed registrations as handled, and never goes past 100', () => {
    expect(percentOf({ processed: 45, failed: 5, total: 100 })).toBe(50);
    expect(percentOf({ processed: 100, failed: 4, total: 100 })).toBe(100);
  });
  it('is 100 for an event without registrations, and the service percent when there are no counts', () => {
    expect(percentOf({ processed: 0, total: 0 })).toBe(100);
    expect(percentOf({ percent: 37 })).toBe(37);
    expect(percentOf({ percent: 140 })).toBe(100);
    expect(percentOf({})).toBeUndefined();
  });
});

describe('throughput and ETA', () => {
  it('has no throughput until two samples show movement', () => {
    expect(throughputOf([sample(0, 10)])).toBeUndefined();
    expect(throughputOf([sample(0, 10), sample(60, 10)])).toBeUndefined();
    expect(throughputOf([sample(0, 10), sample(60, 40)])).toBeCloseTo(0.5);
  });

  it('before any throughput, estimates at the documented 7.2 s a registration (4,000 = 8 hours)', () => {
    expect(DOCUMENTED_SECONDS_PER_REGISTRATION).toBe(7.2);
    const eta = etaOf({ processed: 0, total: 4000 }, [], at(0));
    expect(eta!.getTime() - T0).toBe(8 * 3600_000);
  });

  it('uses the measured pace once there is one', () => {
    // 1 registration a second measured; 900 left
    const eta = etaOf({ processed: 100, total: 1000 }, [sample(0, 40), sample(60, 100)], at(60));
    expect(eta!.getTime() - at(60).getTime()).toBe(900_000);
  });

  it('has no estimate from a bare percentage until it moves, and "now" when nothing is left', () => {
    expect(etaOf({ percent: 10 }, [], at(0))).toBeUndefined();
    expect(etaOf({ percent: 20 }, [sample(0, 10), sample(100, 20)], at(100))!.getTime()).toBe(at(900).getTime());
    expect(etaOf({ processed: 10, total: 10 }, [], at(5))!.getTime()).toBe(at(5).getTime());
  });
});

describe('folding a reading into the progress', () => {
  it('keeps the last known counts when a reading carries only a state', () => {
    const previous = { processed: 200, total: 400, failed: 2, lastProgressAt: at(0).toISOString() };
    const next = nextProgress(previous, tracking([sample(0, 202)]), reading({ state: 'running' }), at(60));
    expect(next.progress).toMatchObject({ processed: 200, total: 400, failed: 2, percent: 50.5 });
    expect(next.moved).toBe(false);
    expect(next.progress.lastProgressAt).toBe(at(0).toISOString());
    expect(next.progress.lastCheckedAt).toBe(at(60).toISOString());
  });

  it('records when the counts last moved and the measured speed', () => {
    const previous = { processed: 100, total: 1000, lastProgressAt: at(0).toISOString() };
    const next = nextProgress(previous, tracking([sample(0, 100)]), reading({ processed: 160, total: 1000 }), at(60));
    expect(next.moved).toBe(true);
    expect(next.progress.lastProgressAt).toBe(at(60).toISOString());
    expect(next.progress.throughput).toBeCloseTo(1);
    expect(Date.parse(next.progress.eta!)).toBe(at(60 + 840).getTime());
  });

  it('keeps a bounded window of samples', () => {
    let t = tracking();
    let progress = {};
    for (let i = 0; i < 100; i++) {
      const next = nextProgress(progress, t, reading({ processed: i, total: 1000 }), at(i * 60));
      progress = next.progress;
      t = { ...t, samples: next.samples };
    }
    expect(t.samples.length).toBeLessThanOrEqual(12);
    expect(t.samples[t.samples.length - 1].processed).toBe(99);
  });

  it('keeps the raw answer only while the shape is not understood', () => {
    const odd = nextProgress({}, tracking(), reading({ state: 'unknown', rawSummary: '{"phase":"P7"}' }), at(0));
    expect(odd.progress.rawSummary).toBe('{"phase":"P7"}');
    const fine = nextProgress(odd.progress, tracking(), reading({ processed: 1, total: 2 }), at(60));
    expect(fine.progress.rawSummary).toBeUndefined();
  });
});
