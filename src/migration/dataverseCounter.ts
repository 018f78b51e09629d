/**
 * Progress when the service says little: while the status answer has no counts (an unknown shape, a percent only),
 * the target's registrations are counted in Dataverse instead, at most once every few polls (a count is one cheap
 * call, but a long job polls thousands of times). A failed count leaves the card as it was.
 */
import type { DataverseFactsPort } from './dataverseFacts';
import type { Clock, Job, JobStore } from './types';

export const COUNT_EVERY_POLLS = 3;

/** Pure: whether this job's card lacks counts that Dataverse could give. */
export function wantsDataverseCount(job: Job): boolean {
  return job.state === 'running' && job.progress.processed === undefined;
}

/** Pure: count at the first poll without counts, then once every `every` polls. */
export function countDue(pollsSinceCount: number | undefined, every = COUNT_EVERY_POLLS): boolean {
  return pollsSinceCount === undefined || pollsSinceCount >= every;
}

export class DataverseCounter {
  private readonly pollsSince = new Map<string, number>();

  constructor(private readonly deps: { facts: DataverseFactsPort; store: JobStore; clock: Clock; every?: number }) {}

  /** Called after each stored poll; true when it stored a new count (the card is owed again). */
  async afterPoll(job: Job): Promise<boolean> {
    if (!wantsDataverseCount(job)) {
      this.pollsSince.delete(job.id);
      return false;
    }
    const since = this.pollsSince.get(job.id);
    if (!countDue(since, this.deps.every)) {
      this.pollsSince.set(job.id, (since ?? 0) + 1);
      return false;
    }
    this.pollsSince.set(job.id, 1);
    const counted = await this.deps.facts.registrationCount(job.toEventId);
    if (!counted.ok) return false;
    const dataverseCount = { registrations: counted.value, at: this.deps.clock.now().toISOString() };
    return (await this.deps.store.update(job.id, { dataverseCount, cardDirty: true })) !== undefined;
  }
}
