import type { Job } from './types';

/**
 * What the store throws when a job is created for a request message that already has one: Teams delivered the
 * same activity again. Decided by the store's unique index, so it holds across replicas.
 */
export class DuplicateRequestError extends Error {
  constructor(readonly existing: Job) {
    super(`the request ${existing.requestActivityId ?? ''} already made job ${existing.id}`);
    this.name = 'DuplicateRequestError';
  }
}

export function isDuplicateRequest(err: unknown): err is DuplicateRequestError {
  return err instanceof DuplicateRequestError;
}
