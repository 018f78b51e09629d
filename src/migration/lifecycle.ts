/**
 * The life of a job, in one table: every state, what it may become, whether it holds the environment's single
 * migration slot and whether Retry may follow it. Everything else (the store's SQL lists, the one-active index,
 * the tracker's endings, Retry) is derived from or tested against this table, so a new state is one row here.
 */

export const LIFECYCLE = {
  pending_approval: { next: ['approved', 'queued', 'cancelled', 'expired'], holdsSlot: false, retryable: false },
  /** approved while the environment was busy: waits in line (approval order) and starts when the slot frees */
  queued: { next: ['approved', 'cancelled'], holdsSlot: false, retryable: false },
  /** a queued job moves here from the queue before its start; `held` when the checks read again now fail */
  approved: { next: ['starting', 'held'], holdsSlot: true, retryable: false },
  starting: { next: ['running', 'start_failed'], holdsSlot: true, retryable: false },
  running: {
    next: ['completed', 'completed_with_errors', 'failed', 'stopped', 'superseded', 'lost', 'abandoned'],
    holdsSlot: true,
    retryable: false,
  },
  completed: { next: [], holdsSlot: false, retryable: false },
  completed_with_errors: { next: [], holdsSlot: false, retryable: true },
  failed: { next: [], holdsSlot: false, retryable: true },
  stopped: { next: [], holdsSlot: false, retryable: true },
  superseded: { next: [], holdsSlot: false, retryable: true },
  cancelled: { next: [], holdsSlot: false, retryable: false },
  expired: { next: [], holdsSlot: false, retryable: false },
  start_failed: { next: [], holdsSlot: false, retryable: true },
  /** the service reported no job for long enough: the bot no longer follows it (what it did is unknown) */
  lost: { next: [], holdsSlot: false, retryable: false },
  /** an approver stopped following it; the service was not told and may still be running it */
  abandoned: { next: [], holdsSlot: false, retryable: false },
  /** taken out of the queue before its start: the Dataverse checks read again failed; Retry asks anew */
  held: { next: [], holdsSlot: false, retryable: true },
} as const satisfies Record<string, { next: readonly string[]; holdsSlot: boolean; retryable: boolean }>;

export type JobState = keyof typeof LIFECYCLE;

/** Fails to compile when a row names a state the table does not have. */
type UnknownNext = { [S in JobState]: Exclude<(typeof LIFECYCLE)[S]['next'][number], JobState> }[JobState];
export const NEXT_STATES_ARE_KNOWN: [UnknownNext] extends [never] ? true : false = true;

export const ALL_STATES = Object.keys(LIFECYCLE) as JobState[];

const where = (test: (row: (typeof LIFECYCLE)[JobState]) => boolean): readonly JobState[] =>
  Object.freeze(ALL_STATES.filter((s) => test(LIFECYCLE[s])));

/** States that hold the environment's single migration slot (the one-at-a-time rule). */
export const ACTIVE_STATES = where((row) => row.holdsSlot);
/** States a job never leaves. */
export const TERMINAL_STATES = where((row) => row.next.length === 0);
/** Ended states after which Retry opens a new confirmation for the same ids. */
export const RETRYABLE_STATES = where((row) => row.retryable);

export function isRetryable(state: JobState): boolean {
  return RETRYABLE_STATES.includes(state);
}

export function isJobState(value: string): value is JobState {
  return Object.prototype.hasOwnProperty.call(LIFECYCLE, value);
}

export function mayMove(from: JobState, to: JobState): boolean {
  return (LIFECYCLE[from].next as readonly JobState[]).includes(to);
}

/** A move the table does not allow: a bug in the caller, never a user's doing. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: JobState,
    readonly to: JobState,
  ) {
    super(`a job cannot move from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** The one check every state change passes (the store makes it on the state it is about to change). */
export function checkMove(from: JobState, to: JobState): void {
  if (!mayMove(from, to)) throw new IllegalTransitionError(from, to);
}

/** A state list as an SQL literal list, `('approved', 'starting', 'running')`, for statements and indexes. */
export function sqlList(states: readonly JobState[]): string {
  return `(${states.map((s) => `'${s}'`).join(', ')})`;
}
