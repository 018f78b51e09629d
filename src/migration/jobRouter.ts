import type { Environments } from './environments';
import type { Migrations, MissingOutcome } from './migrations';
import type { ResumeOutcome } from './outcomes';
import type { JobStore, Person } from './types';

/**
 * The operations on one job (a card's button, `forget <id>`, `missing <id>`), whatever its environment: the job
 * is read, and its environment's `Migrations` does the work with that environment's service and rules.
 */
export class JobRouter {
  constructor(
    private readonly environments: Environments,
    private readonly store: Pick<JobStore, 'getJob'>,
  ) {}

  private async of(jobId: string): Promise<Migrations> {
    const job = jobId ? await this.store.getJob(jobId) : undefined;
    // An unknown id: any environment answers not_found for it.
    return (job ? this.environments.of(job) : this.environments.all()[0]).migrations;
  }

  async approve(jobId: string, actor: Person, inputs: Record<string, unknown>) {
    return (await this.of(jobId)).approve(jobId, actor, inputs);
  }

  async cancel(jobId: string, actor: Person) {
    return (await this.of(jobId)).cancel(jobId, actor);
  }

  async retry(jobId: string, actor: Person, conversationId: string, requestActivityId?: string) {
    return (await this.of(jobId)).retry(jobId, actor, conversationId, requestActivityId);
  }

  async askToForget(jobId: string, actor: Person) {
    return (await this.of(jobId)).askToForget(jobId, actor);
  }

  async forget(jobId: string, actor: Person) {
    return (await this.of(jobId)).forget(jobId, actor);
  }

  async recordCard(jobId: string, activityId: string, onlyIfNoneIn?: string) {
    return (await this.of(jobId)).recordCard(jobId, activityId, onlyIfNoneIn);
  }

  async deliver(jobId: string) {
    return (await this.of(jobId)).deliver(jobId);
  }

  async find(jobId: string) {
    return (await this.of(jobId)).find(jobId);
  }

  async checkPreflight(jobId: string) {
    return (await this.of(jobId)).checkPreflight(jobId);
  }

  async startAndFollow(jobId: string) {
    return (await this.of(jobId)).startAndFollow(jobId);
  }

  /** The queue of the job's environment moves on (after a job was queued there). */
  async advanceQueue(jobId: string) {
    return (await this.of(jobId)).advanceQueue();
  }

  // a plan's id is its first job's id: the plan goes where that job goes

  async findPlan(planId: string) {
    return (await this.of(planId)).findPlan(planId);
  }

  async approvePlan(planId: string, actor: Person, inputs: Record<string, unknown>) {
    return (await this.of(planId)).approvePlan(planId, actor, inputs);
  }

  async cancelPlan(planId: string, actor: Person) {
    return (await this.of(planId)).cancelPlan(planId, actor);
  }

  async recordPlanCard(planId: string, activityId: string) {
    return (await this.of(planId)).recordPlanCard(planId, activityId);
  }

  async missing(jobId: string): Promise<MissingOutcome> {
    return (await this.of(jobId)).missing(jobId);
  }

  /** Every environment's stuck starts; each environment's work uses its own service. */
  async sweepStuckStarts(olderThanMs: number): Promise<number> {
    let total = 0;
    for (const e of this.environments.all()) total += await e.migrations.sweepStuckStarts(olderThanMs);
    return total;
  }

  async resumeAfterRestart(): Promise<ResumeOutcome> {
    const all = await Promise.all(this.environments.all().map((e) => e.migrations.resumeAfterRestart()));
    return all.reduce((a, b) => ({ reconciled: a.reconciled + b.reconciled, tracked: a.tracked + b.tracked }), {
      reconciled: 0,
      tracked: 0,
    });
  }
}
