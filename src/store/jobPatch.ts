import type { Job, JobState } from '../migration/types';
import type { JobParams } from './jobRecord';

/** Fields no patch may change: the store owns them. */
const PROTECTED = ['id', 'state', 'version'] as const;

/**
 * The job after a write: the patch over the current job, with the fields the store owns set by the store.
 * A patch key with the value `undefined` clears that field.
 */
export function patched(current: Job, patch: Partial<Job>, state: JobState, updatedAt: string): Job {
  const changes: Partial<Job> = { ...patch };
  for (const key of PROTECTED) delete changes[key];
  return { ...current, ...changes, id: current.id, state, version: current.version + 1, updatedAt };
}

/** A fresh object that shares nothing with the caller's patch, exactly as it was stored. */
export function copyOf(params: JobParams): Job {
  return JSON.parse(params.data) as Job;
}
