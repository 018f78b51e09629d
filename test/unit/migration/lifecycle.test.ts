import {
  ACTIVE_STATES,
  ALL_STATES,
  IllegalTransitionError,
  LIFECYCLE,
  RETRYABLE_STATES,
  TERMINAL_STATES,
  checkMove,
  mayMove,
  sqlList,
} from '../../../src/migration/lifecycle';

/** The job's life as the design states it, read from the one table. */

describe('the life table', () => {
  it('follows the design: request, approval, start, run, end', () => {
    expect(mayMove('pending_approval', 'approved')).toBe(true);
    expect(mayMove('pending_approval', 'cancelled')).toBe(true);
    expect(mayMove('pending_approval', 'expired')).toBe(true);
    expect(mayMove('approved', 'starting')).toBe(true);
    expect(mayMove('starting', 'running')).toBe(true);
    expect(mayMove('starting', 'start_failed')).toBe(true);
    for (const end of ['completed', 'completed_with_errors', 'failed', 'stopped', 'superseded'] as const)
      expect(mayMove('running', end)).toBe(true);
    expect(mayMove('pending_approval', 'running')).toBe(false);
    expect(mayMove('approved', 'running')).toBe(false);
    expect(mayMove('completed', 'running')).toBe(false);
  });

  it('derives the active, terminal and retryable sets', () => {
    expect([...ACTIVE_STATES]).toEqual(['approved', 'starting', 'running']);
    expect([...TERMINAL_STATES].sort()).toEqual(
      [
        'completed',
        'completed_with_errors',
        'failed',
        'stopped',
        'superseded',
        'cancelled',
        'expired',
        'start_failed',
        'lost',
        'abandoned',
        'held',
      ].sort(),
    );
    expect([...RETRYABLE_STATES].sort()).toEqual(
      ['failed', 'completed_with_errors', 'start_failed', 'stopped', 'superseded', 'held'].sort(),
    );
    // every state is either on its way (has a next state) or ended, and an ended state holds no slot
    for (const s of ALL_STATES) expect(LIFECYCLE[s].next.length === 0 ? !ACTIVE_STATES.includes(s) : true).toBe(true);
  });

  it('refuses an illegal move with an error that names both states', () => {
    expect(() => checkMove('pending_approval', 'approved')).not.toThrow();
    expect(() => checkMove('pending_approval', 'running')).toThrow(IllegalTransitionError);
    expect(() => checkMove('failed', 'running')).toThrow('a job cannot move from failed to running');
  });

  it('writes a state list as SQL', () => {
    expect(sqlList(ACTIVE_STATES)).toBe(`('approved', 'starting', 'running')`);
  });
});
