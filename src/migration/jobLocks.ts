/**
 * One writer at a time per job inside this process. The tracker appends notices while the dispatcher removes
 * delivered ones; without this, a read-modify-write of one could bring back a notice the other had sent.
 * Across replicas this queue is not what protects the outbox: only the holder of a job's lease (JobLeases)
 * edits it, and those edits are conditional on the version read.
 */
export class JobLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async with<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(jobId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(jobId, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(jobId) === tail) this.tails.delete(jobId);
    }
  }
}
