import type { Job, Person } from '../../src/migration/types';

/** One way to build a job for every test: as the store would hold it, with what the test is about overridden. */

export const FROM = '6f1c2a3e-8b4d-4e5f-9a0b-1c2d3e4f5a6b';
export const TO = '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';
export const NOW = new Date('2026-11-30T12:00:00.000Z');
export const ENVIRONMENT = 'public-eur.mkt.dynamics.com/org1';
export const ALICE: Person = { id: '29:alice', name: 'Alice Adams', aadObjectId: 'aad-alice' };
export const BOB: Person = { id: '29:bob', name: 'Bob Brown', aadObjectId: 'aad-bob' };

/** A job as the store would hold it; override what the test is about. */
export function makeJob(patch: Partial<Job> = {}): Job {
  return {
    id: 'job-11111111-2222-3333-4444-555555555555',
    environment: ENVIRONMENT,
    fromEventId: FROM,
    toEventId: TO,
    state: 'pending_approval',
    requestedBy: ALICE,
    requestedAt: '2026-11-30T10:12:00.000Z',
    expiresAt: '2026-12-01T10:12:00.000Z',
    stopExistingIfJobRunning: false,
    conversationId: '19:channel@thread.tacv2',
    progress: {},
    tracking: { consecutiveErrors: 0, lostContactWarned: false, stallWarned: false, milestonesPosted: [], samples: [] },
    outbox: [],
    cardDirty: false,
    version: 1,
    updatedAt: '2026-11-30T10:12:00.000Z',
    ...patch,
  };
}

let sequence = 0;

/**
 * A job of its own: id, events and times increase with each call (job-1, job-2, ... in each process), so jobs
 * stored together never collide and list in a predictable order.
 */
export function nextJob(patch: Partial<Job> = {}): Job {
  sequence += 1;
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)).toISOString();
  return makeJob({
    id: `job-${sequence}`,
    fromEventId: `from-${sequence}`,
    toEventId: `to-${sequence}`,
    requestedAt: at,
    expiresAt: at,
    updatedAt: at,
    ...patch,
  });
}

export function runningJob(patch: Partial<Job> = {}): Job {
  return makeJob({
    state: 'running',
    approvedBy: BOB,
    approvedAt: '2026-11-30T10:20:00.000Z',
    startedAt: '2026-11-30T10:21:00.000Z',
    progress: {
      serviceState: 'running',
      rawState: 'InProgress',
      processed: 1000,
      total: 4000,
      failed: 2,
      throughput: 0.14,
      eta: '2026-11-30T18:00:00.000Z',
      lastCheckedAt: '2026-11-30T11:59:00.000Z',
    },
    ...patch,
  });
}

export function endedJob(state: Job['state'], patch: Partial<Job> = {}): Job {
  return runningJob({
    state,
    endedAt: '2026-11-30T18:05:00.000Z',
    progress: {
      serviceState: 'completed',
      processed: 3990,
      total: 4000,
      failed: 10,
      lastCheckedAt: '2026-11-30T18:05:00.000Z',
    },
    ...patch,
  });
}
