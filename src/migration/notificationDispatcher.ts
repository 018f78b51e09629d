import type { JobLeases } from './jobLeases';
import type { JobLocks } from './jobLocks';
import { NO_LOG_SCOPE, type DomainLogger, type LogScope, type Notifier, type Scheduler } from './ports';
import type { Job, JobStore } from './types';

/**
 * Delivers what the store says is owed to a conversation: a redrawn card and the queued notices (an outbox).
 * The transition that caused a message is written before delivery, so a restart delivers what a crash left
 * behind, and a notice is removed only once sent: the final alert goes out once.
 */
export class NotificationDispatcher {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, unknown>();

  constructor(
    private readonly store: JobStore,
    private readonly notifier: Notifier,
    private readonly logger: DomainLogger,
    private readonly scheduler: Scheduler,
    private readonly locks: JobLocks,
    /** when a delivery fails after the sender's own retries, try the whole flush again after this long */
    private readonly retryAfterMs = 30_000,
    /** each delivery's log lines carry the job's id */
    private readonly scope: LogScope = NO_LOG_SCOPE,
    /** several replicas: a job's notices are delivered only by the replica holding its lease */
    private readonly leases?: JobLeases,
  ) {}

  stop(): void {
    for (const handle of this.retries.values()) this.scheduler.clearTimeout(handle);
    this.retries.clear();
  }

  /** Serialised per job, so two flushes never post the same notice twice. */
  flush(jobId: string): Promise<void> {
    const previous = this.chains.get(jobId) ?? Promise.resolve();
    const next = previous
      .then(() => this.scope.run({ jobId }, () => this.deliver(jobId)))
      .catch((err) => {
        this.logger.error({ jobId, err }, 'delivery failed');
      });
    this.chains.set(jobId, next);
    void next.finally(() => {
      if (this.chains.get(jobId) === next) this.chains.delete(jobId);
    });
    return next;
  }

  async flushAll(): Promise<void> {
    const jobs = await this.store.jobsWithPendingNotifications();
    await Promise.all(jobs.map((j) => this.flush(j.id)));
  }

  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  /**
   * With leases, one replica delivers a job's notices at a time: the one polling it, or whichever claims it
   * first. Another replica leaves them to that one, and looks again later in case it died.
   */
  private async deliver(jobId: string): Promise<void> {
    if (!this.leases) return this.deliverHeld(jobId);
    if (!(await this.leases.hold(jobId, 'deliver'))) {
      this.retryLater(jobId);
      return;
    }
    try {
      await this.deliverHeld(jobId);
    } finally {
      await this.leases.release(jobId, 'deliver');
    }
  }

  private async deliverHeld(jobId: string): Promise<void> {
    let job = await this.store.getJob(jobId);
    if (!job) return;
    if (await this.store.isConversationBlocked(job.conversationId)) {
      await this.drop(job, 'conversation blocked');
      return;
    }
    if (job.cardDirty && shownByItsPlan(job)) {
      // the plan's card stands for it until it is approved: no card of its own (five would bury the plan's)
      await this.locks.with(jobId, () => this.store.update(jobId, { cardDirty: false }, job!.version));
      job = await this.store.getJob(jobId);
      if (!job) return;
    }
    if (job.cardDirty) {
      const drawn = job;
      const result = await this.notifier.showCard(drawn);
      if (!(await this.handle(drawn, result))) return;
      const activityId = result.status === 'sent' ? (result.activityId ?? drawn.cardActivityId) : drawn.cardActivityId;
      const redrawNeeded = await this.locks.with(jobId, async () => {
        const fresh = await this.store.getJob(jobId);
        if (!fresh) return false;
        // Only clear the flag if nothing changed since the card was drawn; otherwise draw the newer state.
        const same = fresh.version === drawn.version;
        await this.store.update(jobId, { cardActivityId: activityId, ...(same ? { cardDirty: false } : {}) });
        return !same && fresh.cardDirty;
      });
      if (redrawNeeded) return this.deliverHeld(jobId);
      if (drawn.planId && drawn.planCardState !== drawn.state) await this.redrawPlanCard(drawn, drawn.planId);
      job = await this.store.getJob(jobId);
      if (!job) return;
    }
    for (const notice of job.outbox) {
      const result = await this.notifier.post(job, notice);
      if (!(await this.handle(job, result))) return;
      await this.locks.with(jobId, () => this.removeNotice(jobId, notice.id));
    }
  }

  /**
   * A pair's card was redrawn in a state its plan's card does not show yet: the plan's card is redrawn with every
   * pair as it is now. The plan card shows each pair's state only, so a progress reading (which redraws the pair's
   * own card every poll) costs it nothing. A failed redraw is only logged; the pair's next draw tries again.
   */
  private async redrawPlanCard(drawn: Job, planId: string): Promise<void> {
    if (await this.redrawPlan(planId))
      await this.locks.with(drawn.id, () => this.store.update(drawn.id, { planCardState: drawn.state }));
  }

  /** The plan's card with every pair as it is now (its checks read, a pair's state changed); false if not sent. */
  async redrawPlan(planId: string): Promise<boolean> {
    const plan = await this.store.getPlan(planId);
    if (!plan?.cardActivityId) return false;
    const jobs = await Promise.all(plan.pairs.map((p) => this.store.getJob(p.jobId)));
    const result = await this.notifier.showPlanCard(
      plan,
      jobs.filter((j): j is Job => j !== undefined),
    );
    if (result.status === 'sent') return true;
    this.logger.warn({ planId, status: result.status }, "the plan's card was not redrawn");
    return false;
  }

  /** Conditional on the version read, so a notice another replica added meanwhile is not written away. */
  private async removeNotice(jobId: string, noticeId: string): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const fresh = await this.store.getJob(jobId);
      if (!fresh) return;
      const outbox = fresh.outbox.filter((n) => n.id !== noticeId);
      if (await this.store.update(jobId, { outbox }, fresh.version)) return;
    }
    throw new Error(`the delivered notice ${noticeId} could not be removed from job ${jobId}'s outbox`);
  }

  /** false: stop delivering for now */
  private async handle(job: Job, result: Awaited<ReturnType<Notifier['post']>>): Promise<boolean> {
    switch (result.status) {
      case 'sent':
        return true;
      case 'blocked':
        this.logger.warn(
          { jobId: job.id, conversationId: job.conversationId, reason: result.reason },
          'conversation refuses the bot; no more notices there, tracking goes on',
        );
        await this.store.markConversationBlocked(job.conversationId, result.reason);
        await this.drop(job, result.reason);
        return false;
      case 'no_conversation':
        this.logger.warn(
          { jobId: job.id, conversationId: job.conversationId },
          'no conversation reference; notices dropped',
        );
        await this.drop(job, 'no conversation reference');
        return false;
      case 'failed':
        this.logger.warn({ jobId: job.id, reason: result.reason }, 'delivery failed; will retry');
        this.retryLater(job.id);
        return false;
    }
  }

  private retryLater(jobId: string): void {
    if (this.retries.has(jobId)) return;
    const handle = this.scheduler.setTimeout(() => {
      this.retries.delete(jobId);
      void this.flush(jobId);
    }, this.retryAfterMs);
    this.retries.set(jobId, handle);
  }

  private async drop(job: Job, reason: string): Promise<void> {
    if (job.outbox.length === 0 && !job.cardDirty) return;
    this.logger.info({ jobId: job.id, dropped: job.outbox.map((n) => n.kind), reason }, 'notices dropped');
    await this.locks.with(job.id, () => this.store.update(job.id, { outbox: [], cardDirty: false }));
  }
}

const SHOWN_BY_PLAN: readonly Job['state'][] = ['pending_approval', 'cancelled', 'expired'];

/** A pair of a plan that never got a card of its own and was never approved: its plan's card shows it. */
function shownByItsPlan(job: Job): boolean {
  return job.planId !== undefined && !job.cardActivityId && SHOWN_BY_PLAN.includes(job.state);
}
