import type { JobStarter } from './jobStarter';
import type { NotificationDispatcher } from './notificationDispatcher';
import type {
  ApproveOutcome,
  CancelOutcome,
  FindOutcome,
  RecordCardOutcome,
  RequestOutcome,
  ResumeOutcome,
  RetryOutcome,
  StartOutcome,
} from './outcomes';
import { NO_LOG_SCOPE, type DomainLogger, type LogScope } from './ports';
import type { Tracker } from './tracker';
import type { TurnDecisions } from './turnDecisions';
import type { Job, JobStore, Person } from './types';

/**
 * Every operation on migrations, as the Teams layer and the restart path call them. Each sequence (approve,
 * then start and follow; restart, then reconcile, follow and deliver) is decided here, not by the caller.
 */

export interface MigrationsDeps {
  decisions: TurnDecisions;
  starter: JobStarter;
  tracker: Tracker;
  dispatcher: NotificationDispatcher;
  store: JobStore;
  environment: string;
  logger: DomainLogger;
  /** the start's log lines (the Events API call, the sends) carry the job's id */
  scope?: LogScope;
}

export class Migrations {
  constructor(private readonly deps: MigrationsDeps) {}

  // ---------------------------------------------------------------- decisions inside a turn

  request(input: Parameters<TurnDecisions['requestMigration']>[0]): Promise<RequestOutcome> {
    return this.deps.decisions.requestMigration(input);
  }

  /** Checked and written at once; when approved, the caller runs `startAndFollow` after its turn. */
  approve(jobId: string, actor: Person, inputs: Record<string, unknown>): Promise<ApproveOutcome> {
    return this.deps.decisions.approve(jobId, actor, inputs);
  }

  cancel(jobId: string, actor: Person): Promise<CancelOutcome> {
    return this.deps.decisions.cancel(jobId, actor);
  }

  /** A new confirmation for the same ids; its card is owed to the conversation (`deliver` posts it). */
  retry(jobId: string, actor: Person, conversationId: string): Promise<RetryOutcome> {
    return this.deps.decisions.retry(jobId, actor, conversationId);
  }

  /**
   * Where the job's card is, so it is updated in place. `onlyIfNoneIn`: record it only when the job has no card
   * yet and lives in that conversation (an invoke's replyToId is the card's id, but only in the job's own chat).
   */
  async recordCard(jobId: string, activityId: string, onlyIfNoneIn?: string): Promise<RecordCardOutcome> {
    if (onlyIfNoneIn !== undefined) {
      const job = await this.deps.store.getJob(jobId);
      if (!job) return { kind: 'not_found' };
      if (job.cardActivityId || job.conversationId !== onlyIfNoneIn) return { kind: 'kept', job };
    }
    const updated = await this.deps.store.update(jobId, { cardActivityId: activityId });
    return updated ? { kind: 'recorded', job: updated } : { kind: 'not_found' };
  }

  /** Deliver what the store says is owed to the job's conversation (its card, its notices). */
  deliver(jobId: string): Promise<void> {
    return this.deps.dispatcher.flush(jobId);
  }

  // ---------------------------------------------------------------- reading

  async find(jobId: string): Promise<FindOutcome> {
    const job = jobId ? await this.deps.store.getJob(jobId) : undefined;
    return job ? { kind: 'found', job } : { kind: 'not_found' };
  }

  /** The running migration of this environment, or else its last one. */
  async current(): Promise<Job | undefined> {
    const { store, environment } = this.deps;
    return (await store.activeJob(environment)) ?? (await store.listJobs(environment, 1))[0];
  }

  history(limit: number): Promise<Job[]> {
    return this.deps.store.listJobs(this.deps.environment, limit);
  }

  // ---------------------------------------------------------------- the work after a turn

  /** After an approval: show it, call the service once, follow the job if it runs, show the result. */
  startAndFollow(jobId: string): Promise<StartOutcome> {
    return (this.deps.scope ?? NO_LOG_SCOPE).run({ jobId }, () => this.startAndFollowNow(jobId));
  }

  private async startAndFollowNow(jobId: string): Promise<StartOutcome> {
    const { dispatcher, starter, tracker } = this.deps;
    await dispatcher.flush(jobId);
    const job = await starter.startApproved(jobId);
    if (job?.state === 'running') tracker.track(job);
    await dispatcher.flush(jobId);
    if (job?.state === 'running') return { kind: 'running', job };
    if (job?.state === 'start_failed') return { kind: 'start_failed', job };
    return { kind: 'not_claimed', job };
  }

  /** After a restart: reconcile the jobs being started, follow the running ones, deliver what is owed. */
  async resumeAfterRestart(): Promise<ResumeOutcome> {
    const { starter, tracker, dispatcher, logger } = this.deps;
    const reconciled = await starter.reconcileAfterRestart();
    const tracked = await tracker.resume();
    await dispatcher.flushAll();
    if (reconciled.length + tracked > 0)
      logger.info({ reconciled: reconciled.length, tracked }, 'resumed jobs from the store');
    return { reconciled: reconciled.length, tracked };
  }
}
