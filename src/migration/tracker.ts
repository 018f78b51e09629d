import type { DataverseCounter } from './dataverseCounter';
import type { JobLeases } from './jobLeases';
import type { JobLocks } from './jobLocks';
import type { NotificationDispatcher } from './notificationDispatcher';
import { nextPollDelay, type PollRules } from './pollSchedule';
import { NO_LOG_SCOPE, realScheduler, type DomainLogger, type LogScope, type Scheduler } from './ports';
import { applyPollError, applyReading, type TrackingDecision, type TrackingRules } from './trackingRules';
import { newReference } from './jobStarter';
import type { Reconciler } from './reconciliation';
import { EventsApiError, type Clock, type EventsApi, type Job, type JobStore } from './types';

const RECONCILED_ENDINGS: readonly Job['state'][] = ['completed', 'completed_with_errors', 'failed'];

/**
 * Follows every running job to its end: reads the status on the adaptive schedule, stores what it means,
 * then has the dispatcher tell the channel. All state is in the store; the timers are only reminders, so a
 * restart simply calls `resume()`.
 */
export class Tracker {
  private readonly timers = new Map<string, unknown>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private sweeper: unknown;
  private readonly endedListeners: Array<(job: Job) => void> = [];

  constructor(
    private readonly deps: {
      store: JobStore;
      api: EventsApi;
      clock: Clock;
      scheduler: Scheduler;
      dispatcher: NotificationDispatcher;
      locks: JobLocks;
      pollRules: PollRules;
      trackingRules: TrackingRules;
      logger: DomainLogger;
      /** with Dataverse: source against target once a job ends */
      reconciler?: Reconciler;
      /** with Dataverse: the target's count while the service gives none */
      counter?: DataverseCounter;
      /** each poll's log lines carry the job's id */
      scope?: LogScope;
      /** several replicas: a job is polled only while this replica holds its lease */
      leases?: JobLeases;
      /** real time, as the leases' expiry is (tests may give the rest a fake scheduler) */
      leaseTimers?: Scheduler;
      /** the store identity of the one environment this tracker follows (its `api`); absent: every job */
      environment?: string;
    },
  ) {}

  /** Told after a running job's ending was stored (the slot is free). */
  onEnded(listener: (job: Job) => void): void {
    this.endedListeners.push(listener);
  }

  async resume(): Promise<number> {
    const { environment } = this.deps;
    const running = (await this.deps.store.jobsInStates(['running'])).filter(
      (job) => environment === undefined || job.environment === environment,
    );
    for (const job of running) this.track(job, 0);
    this.sweepLater();
    return running.length;
  }

  /** Start (or keep) following a job; `firstDelayMs` defaults to the schedule. */
  track(job: Job, firstDelayMs?: number): void {
    if (this.stopped || job.state !== 'running' || this.timers.has(job.id)) return;
    this.schedule(job.id, firstDelayMs ?? nextPollDelay(job, this.deps.clock.now(), this.deps.pollRules));
  }

  /** Stop polling and wait for a read in progress to be stored. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) (this.deps.leaseTimers ?? realScheduler).clearTimeout(this.sweeper);
    for (const handle of this.timers.values()) this.deps.scheduler.clearTimeout(handle);
    this.timers.clear();
    await Promise.all([...this.inFlight]);
    await this.deps.leases?.releaseAll();
  }

  /**
   * With leases, every third of a lease: renew the ones held here (a poll can be minutes apart), stop
   * following a job another replica took over, and follow running jobs nobody here follows (one another
   * replica started, or whose holder died: its claim then fails until the lease has expired).
   */
  private sweepLater(): void {
    const { leases } = this.deps;
    if (!leases || this.stopped || this.sweeper) return;
    const timers = this.deps.leaseTimers ?? realScheduler;
    this.sweeper = timers.setTimeout(
      () => {
        this.sweeper = undefined;
        void this.sweep(leases)
          .catch((err: unknown) => this.deps.logger.warn({ err }, 'renewing job leases failed; trying again'))
          .finally(() => this.sweepLater());
      },
      Math.max(100, Math.floor(leases.ms / 3)),
    );
  }

  private async sweep(leases: JobLeases): Promise<void> {
    for (const jobId of await leases.renewAll()) {
      this.deps.logger.warn({ jobId }, 'another replica took over polling this job');
      this.untrack(jobId);
    }
    if (this.stopped) return;
    for (const job of await this.deps.store.jobsInStates(['running'])) this.track(job, 0);
  }

  private untrack(jobId: string): void {
    const handle = this.timers.get(jobId);
    if (handle !== undefined) this.deps.scheduler.clearTimeout(handle);
    this.timers.delete(jobId);
  }

  private schedule(jobId: string, delayMs: number): void {
    const handle = this.deps.scheduler.setTimeout(() => {
      const scope = this.deps.scope ?? NO_LOG_SCOPE;
      const run = scope
        .run({ jobId }, () => this.poll(jobId))
        .catch((err: unknown) => this.pollFailed(jobId, err))
        .finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }, delayMs);
    this.timers.set(jobId, handle);
  }

  /**
   * The bot's own failure (the store refused a write, a bug) while handling a read: the migration goes on on
   * the service, so the job is read again later instead of being dropped until the next restart.
   */
  private pollFailed(jobId: string, err: unknown): void {
    this.deps.logger.error({ jobId, err }, 'handling a status read failed; reading again later');
    this.timers.delete(jobId);
    const { baseMs, maxBackoff } = this.deps.pollRules;
    if (!this.stopped) this.schedule(jobId, baseMs * maxBackoff);
  }

  private async poll(jobId: string): Promise<void> {
    const { store, api, clock, logger, locks } = this.deps;
    const before = await store.getJob(jobId);
    if (!before || before.state !== 'running' || this.stopped) {
      this.timers.delete(jobId);
      if (this.deps.leases?.holds(jobId)) {
        // ended elsewhere (a cancel on another replica): its card is owed, and this replica held the lease
        await this.deps.leases.release(jobId, 'poll');
        void this.deps.dispatcher.flush(jobId);
      }
      return;
    }
    if (this.deps.leases && !(await this.deps.leases.hold(jobId, 'poll'))) {
      this.timers.delete(jobId); // another replica polls it; the sweep looks again
      return;
    }
    let read: (job: Job) => TrackingDecision;
    try {
      const reading = await api.status();
      logger.debug({ jobId, state: reading.state, processed: reading.processed, total: reading.total }, 'status read');
      read = (job) => applyReading(job, reading, clock.now(), this.deps.trackingRules);
    } catch (err) {
      const failure = this.describeReadError(jobId, err);
      read = (job) => applyPollError(job, failure, clock.now(), this.deps.trackingRules);
    }
    // The decision is made on the job as stored now, under the job's lock, so no concurrent write is lost;
    // a write another replica made in between (a redrawn card) makes the update stale: decide again.
    const job = await locks.with(jobId, async () => {
      for (let attempt = 1; ; attempt++) {
        const fresh = await store.getJob(jobId);
        if (!fresh || fresh.state !== 'running') return fresh;
        const written = await this.write(fresh, read(fresh));
        if (written || attempt >= 5) return written;
      }
    });
    this.timers.delete(jobId);
    void this.deps.dispatcher.flush(jobId);
    if (job && job.state === 'running' && !this.stopped)
      this.schedule(jobId, nextPollDelay(job, clock.now(), this.deps.pollRules));
    else await this.deps.leases?.release(jobId, 'poll');
    if (job && job.state !== 'running') for (const listener of this.endedListeners) listener(job);
    if (job) await this.fromDataverse(job);
  }

  /** After the card was owed: what Dataverse adds (a count, the reconciliation), then the card again. */
  private async fromDataverse(job: Job): Promise<void> {
    const { counter, reconciler, dispatcher, logger } = this.deps;
    try {
      let changed = false;
      if (counter && job.state === 'running') changed = await counter.afterPoll(job);
      if (reconciler && RECONCILED_ENDINGS.includes(job.state))
        changed = (await reconciler.reconcile(job.id)) !== undefined;
      if (changed) void dispatcher.flush(job.id);
    } catch (err) {
      logger.error({ jobId: job.id, err }, 'reading Dataverse after a status read failed');
    }
  }

  /**
   * A failed read in words for the job's last error: the Events API client's own words, or for anything else
   * (a bug) what failed and the reference of the log line, never the error's text.
   */
  private describeReadError(jobId: string, err: unknown): Error {
    if (err instanceof EventsApiError) {
      this.deps.logger.warn({ jobId, err }, 'status read failed');
      return err;
    }
    const reference = newReference();
    this.deps.logger.error({ jobId, reference, err }, 'status read failed unexpectedly');
    return new Error(`Reading the status failed on the bot's side (reference ${reference}).`);
  }

  private async write(job: Job, decision: TrackingDecision): Promise<Job | undefined> {
    const { store, clock } = this.deps;
    const outbox = [...job.outbox, ...decision.notices.filter((n) => !job.outbox.some((o) => o.id === n.id))];
    if (decision.to) {
      const result = await store.transition(
        job.id,
        ['running'],
        decision.to,
        { ...decision.patch, outbox, cardDirty: true },
        { at: clock.now().toISOString(), note: decision.note, detail: decision.detail },
      );
      return result.job;
    }
    return store.update(job.id, { ...decision.patch, outbox }, job.version);
  }
}
