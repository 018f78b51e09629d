import { randomUUID } from 'node:crypto';
import type { JobStore } from './types';

/** what in this process needs a job's lease: following its status, or delivering its notices */
export type LeaseUse = 'poll' | 'deliver';

/**
 * Which replica works on a job right now: one lease per job in the store (`job:<id>`), with an expiry, so of
 * several replicas one polls a running job and delivers its notices, and another takes over once the holder
 * dies (the lease expires) or lets go. Inside this process the tracker and the dispatcher share the lease a
 * job has; it is given back to the store when neither needs it any more.
 */
export class JobLeases {
  private readonly uses = new Map<string, Set<LeaseUse>>();

  constructor(
    private readonly store: Pick<JobStore, 'claimLease' | 'releaseLease'>,
    readonly ms: number,
    /** this replica, in the store's lease rows */
    readonly holder: string = randomUUID(),
  ) {}

  /** true when this replica now holds the job's lease for `use` (claimed, renewed, or already held here) */
  async hold(jobId: string, use: LeaseUse): Promise<boolean> {
    const local = this.uses.get(jobId);
    if (local && local.size > 0 && use !== 'poll') {
      local.add(use);
      return true;
    }
    if (!(await this.store.claimLease(name(jobId), this.holder, this.ms))) {
      if (use === 'poll') this.uses.delete(jobId); // another replica has it: everything here lets go
      return false;
    }
    const set = this.uses.get(jobId) ?? new Set<LeaseUse>();
    set.add(use);
    this.uses.set(jobId, set);
    return true;
  }

  /** This use is done; the lease goes back to the store when nothing else here needs it. */
  async release(jobId: string, use: LeaseUse): Promise<void> {
    const set = this.uses.get(jobId);
    if (!set?.delete(use) || set.size > 0) return;
    this.uses.delete(jobId);
    await this.store.releaseLease(name(jobId), this.holder);
  }

  holds(jobId: string): boolean {
    return (this.uses.get(jobId)?.size ?? 0) > 0;
  }

  /** Renews every lease held here; the ids of jobs whose lease another replica has taken meanwhile. */
  async renewAll(): Promise<string[]> {
    const lost: string[] = [];
    for (const jobId of [...this.uses.keys()]) {
      if (!(await this.store.claimLease(name(jobId), this.holder, this.ms))) {
        this.uses.delete(jobId);
        lost.push(jobId);
      }
    }
    return lost;
  }

  /** Gives every lease back (shutdown): another replica need not wait for them to expire. */
  async releaseAll(): Promise<void> {
    const jobIds = [...this.uses.keys()];
    this.uses.clear();
    await Promise.all(jobIds.map((id) => this.store.releaseLease(name(id), this.holder).catch(() => undefined)));
  }
}

function name(jobId: string): string {
  return `job:${jobId}`;
}
