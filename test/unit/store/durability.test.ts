import { durabilityOf } from '../../../src/store/durability';
import { ALL_STATES } from '../../../src/migration/lifecycle';
import type { JobState } from '../../../src/migration/types';

/** every state of the job's life, from its one table */
const STATES: readonly JobState[] = ALL_STATES;

describe('which store writes wait for the disk', () => {
  it('a request waiting for approval is written without waiting: creating it and recording its card', () => {
    expect(durabilityOf('create', 'pending_approval')).toBe('relaxed');
    expect(durabilityOf('update', 'pending_approval')).toBe('relaxed');
  });

  it('every transition is durable, the approval first of all', () => {
    for (const state of STATES) expect(durabilityOf('transition', state)).toBe('durable');
  });

  it('every write to a job past its request is durable', () => {
    for (const state of STATES.filter((s) => s !== 'pending_approval')) {
      expect(durabilityOf('create', state)).toBe('durable');
      expect(durabilityOf('update', state)).toBe('durable');
    }
  });
});
