import type { BlockedBy } from './outcomes';
import type { Job, JobStore } from './types';

/**
 * The same outbound event is never migrated twice: a job whose source was already migrated successfully, or
 * whose pair is already being migrated by another job, must not start. Asked at the request, again at approval
 * and once more after the start is claimed (the claim is a conditional write, so of two racing approvals only
 * one passes it, and the other then sees the first).
 */
export async function earlierRunOf(store: JobStore, job: Job): Promise<BlockedBy | undefined> {
  const done = await store.lastCompletedFrom(job.environment, job.fromEventId);
  if (done && done.id !== job.id) return { kind: 'already_migrated', job: done };
  const active = await store.activeJob(job.environment);
  if (active && active.id !== job.id && active.fromEventId === job.fromEventId && active.toEventId === job.toEventId)
    return { kind: 'active', job: active };
  return undefined;
}
