import { randomUUID } from 'node:crypto';
import type { DraftMaker, PreparedTarget } from './draftMaker';
import { earlierRunOf } from './earlierRun';
import { defaultWriteRetry, persistently, type WriteRetryRules } from './persistently';
import { NO_LOG_SCOPE, realScheduler, type DomainLogger, type LogScope, type Scheduler } from './ports';
import { isStaleReading, isSupersededBy, noticeOf } from './trackingRules';
import { EventsApiError, type Clock, type EventsApi, type Job, type JobStore, type StatusReading } from './types';

/**
 * The work after an approval's turn: the start call, and after a restart the reconciliation of jobs that were
 * being started. The move to `starting` is a compare-and-set: of two callers (a re-sent invoke, a restart)
 * only one calls the service, so one approval starts at most one migration.
 */

export interface JobStarterDeps {
  store: JobStore;
  api: EventsApi;
  clock: Clock;
  logger: DomainLogger;
  newReference?: () => string;
  /** for the pauses between attempts of a failed write */
  scheduler?: Scheduler;
  writeRetry?: WriteRetryRules;
  /**
   * Several replicas: a start is marked in the store (`start:<id>`, expiring after `ms`) while the start call
   * is in flight, so a replica reconciling after its restart leaves a job another live replica is starting.
   */
  startLease?: { holder: string; ms: number };
  /** the store identity of the one environment this starter calls (its `api`); absent: every job */
  environment?: string;
  /** so that every line logged while reconciling a job (the store's too) carries its id */
  scope?: LogScope;
  /** makes the target of a `migrate <id> new` job before its start call (issue 13) */
  draftMaker?: DraftMaker;
}

export class JobStarter {
  /** starts this process has in flight: a sweep leaves them to their caller */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: JobStarterDeps) {}

  /** Calls the Events API for an approved job; the job as it is afterwards, or as another caller left it. */
  async startApproved(jobId: string): Promise<Job | undefined> {
    if (!(await this.markStarting(jobId))) return this.deps.store.getJob(jobId);
    try {
      return await this.startMarked(jobId);
    } finally {
      await this.unmarkStarting(jobId);
    }
  }

  private async startMarked(jobId: string): Promise<Job | undefined> {
    const { store, clock } = this.deps;
    const claimed = await store.transition(
      jobId,
      ['approved'],
      'starting',
      { cardDirty: true },
      { at: clock.now().toISOString(), note: 'start call' },
    );
    if (!claimed.ok) return claimed.job;
    this.inFlight.add(jobId);
    try {
      return await this.callStart(claimed.job);
    } finally {
      this.inFlight.delete(jobId);
    }
  }

  private async callStart(claimed: Job): Promise<Job> {
    const { store, api, logger } = this.deps;
    const jobId = claimed.id;
    // After the claim, so a queued, retried or racing start sees the run that ended before it.
    const earlier = await earlierRunOf(store, claimed);
    if (earlier?.kind === 'already_migrated')
      return this.markStartFailed(
        claimed,
        `Not started: the outbound event was already migrated successfully by job ${earlier.job.id}. Nothing was migrated twice.`,
      );
    // ---- issue 13: a target the bot makes is created (once) before the start call
    const prepared = await this.prepareTarget(claimed);
    if (!prepared.ok)
      return 'reason' in prepared ? this.markStartFailed(prepared.job, prepared.reason) : (prepared.lost ?? claimed);
    const job = prepared.job;
    // ----
    try {
      const result = await api.start(job.fromEventId, job.toEventId, {
        stopExistingIfJobRunning: job.stopExistingIfJobRunning,
      });
      return this.markRunning(job, `service accepted the start (${result.httpStatus})`, result.rawSummary);
    } catch (err) {
      if (!(err instanceof EventsApiError)) {
        // A bug or an unforeseen failure: its text is for the log; the card names what failed and the line.
        const reference = (this.deps.newReference ?? newReference)();
        logger.error({ jobId, reference, err }, 'start call failed unexpectedly');
        return this.markStartFailed(
          job,
          `The start call failed on the bot's side (reference ${reference}); the service may not have been reached.`,
        );
      }
      logger.warn(
        { jobId, kind: err.kind, httpStatus: err.httpStatus, attempts: err.attempts, err },
        'start call failed',
      );
      // A start retried after a lost answer can meet its own job ("already running"): the status tells.
      if (err.kind === 'job_running' || err.kind === 'unavailable') {
        const reading = await this.readStatus();
        if (reading && this.isOurs(job, reading))
          return this.markRunning(
            job,
            'the status shows this job running after an unclear start answer',
            reading.rawSummary,
          );
      }
      return this.markStartFailed(job, err.message, err.rawSummary);
    }
  }

  /** A job without a made target passes as it is; a lost race leaves the job as the other caller left it. */
  private async prepareTarget(job: Job): Promise<PreparedTarget> {
    if (!job.draftTarget || job.draftTarget.createdAt) return { ok: true, job };
    if (!this.deps.draftMaker)
      return { ok: false, job, reason: 'The real-time event could not be created: the bot has no Dataverse here.' };
    return this.deps.draftMaker.prepare(job);
  }

  /**
   * After a restart: `approved` jobs were never sent (the claim comes first), `starting` ones may have been.
   * Neither is started again before the status call says what the service is doing.
   */
  async reconcileAfterRestart(): Promise<Job[]> {
    const jobs = this.mine(await this.deps.store.jobsInStates(['approved', 'starting']));
    const resumed: Job[] = [];
    for (const job of jobs) {
      const done = await this.underMark(job.id, async () => {
        // read again under the mark: the job may have moved on while the list was read
        const fresh = await this.deps.store.getJob(job.id);
        return fresh && ['approved', 'starting'].includes(fresh.state) ? this.reconcile(fresh, 'restart', true) : fresh;
      });
      if (done) resumed.push(done);
    }
    return resumed;
  }

  /**
   * The same reconciliation without a restart, for jobs left `approved` or `starting` longer than any start call
   * takes (a write failed while the call was in flight, a replica died). Each is claimed by a conditional write
   * first, so of several replicas sweeping at once only one reconciles it. A status that cannot be read leaves
   * the job for the next sweep: the service may be running it.
   */
  async reconcileStuck(olderThanMs: number): Promise<Job[]> {
    const { store, clock } = this.deps;
    const cutoff = clock.now().getTime() - olderThanMs;
    const stuck = this.mine(await store.jobsInStates(['approved', 'starting'])).filter(
      (job) => Date.parse(job.updatedAt) < cutoff && !this.inFlight.has(job.id),
    );
    const reconciled: Job[] = [];
    for (const job of stuck) {
      const claimed = await store.update(job.id, {}, job.version);
      if (!claimed || claimed.state !== job.state) continue;
      this.deps.logger.warn({ jobId: job.id, state: job.state }, 'job stuck before running; reconciling');
      const done = await this.underMark(job.id, () => this.reconcile(claimed, 'sweep', false));
      if (done) reconciled.push(done);
    }
    return reconciled;
  }

  private mine(jobs: Job[]): Job[] {
    const { environment } = this.deps;
    return environment === undefined ? jobs : jobs.filter((job) => job.environment === environment);
  }

  private async reconcile(job: Job, why: 'restart' | 'sweep', failWhenUnread: boolean): Promise<Job | undefined> {
    const { store } = this.deps;
    const reading = await this.readStatus();
    if (reading && this.isOurs(job, reading)) {
      const claimed =
        job.state === 'approved'
          ? await store.transition(
              job.id,
              ['approved'],
              'starting',
              {},
              { at: this.nowIso(), note: `${why}: found running on the service` },
            )
          : { ok: true as const, job };
      return claimed.ok
        ? this.markRunning(claimed.job, `${why}: the status shows this job on the service`, reading.rawSummary)
        : undefined;
    }
    if (job.state === 'approved') return this.startMarked(job.id);
    // The start call comes only after the made target is recorded: without that record it was never sent.
    if (job.draftTarget && !job.draftTarget.createdAt) return this.callStartOnce(job);
    if (!reading && !failWhenUnread) return undefined;
    return this.markStartFailed(
      job,
      why === 'restart'
        ? 'The bot restarted while starting this migration and the service does not show it. Nothing was started twice; use Retry to start it after a new approval.'
        : 'The bot lost track of this start and the service does not show it. Nothing was started twice; use Retry to start it after a new approval.',
      reading?.rawSummary,
    );
  }

  private async callStartOnce(job: Job): Promise<Job> {
    this.inFlight.add(job.id);
    try {
      return await this.callStart(job);
    } finally {
      this.inFlight.delete(job.id);
    }
  }

  private isOurs(job: Job, reading: StatusReading): boolean {
    const named = reading.fromEventId !== undefined || reading.toEventId !== undefined;
    if (!named || isSupersededBy(job, reading) || isStaleReading(job, reading)) return false;
    // A finished state for the same ids may be an earlier run (a retry); only a start time after approval proves it is this one.
    if (reading.state === 'queued' || reading.state === 'running') return true;
    return ['completed', 'completed_with_errors', 'failed'].includes(reading.state) && reading.startedAt !== undefined;
  }

  /** Work on a job that another replica may be starting: skipped (undefined) while that replica's mark holds. */
  private async underMark(jobId: string, work: () => Promise<Job | undefined>): Promise<Job | undefined> {
    if (!(await this.markStarting(jobId))) {
      this.deps.logger.info({ jobId }, 'another replica is starting this job; left to it');
      return undefined;
    }
    try {
      return await (this.deps.scope ?? NO_LOG_SCOPE).run({ jobId }, work);
    } finally {
      await this.unmarkStarting(jobId);
    }
  }

  /** false when another replica's start of this job is in flight */
  private async markStarting(jobId: string): Promise<boolean> {
    const lease = this.deps.startLease;
    return lease ? this.deps.store.claimLease(`start:${jobId}`, lease.holder, lease.ms) : true;
  }

  private async unmarkStarting(jobId: string): Promise<void> {
    const lease = this.deps.startLease;
    if (lease) await this.deps.store.releaseLease(`start:${jobId}`, lease.holder).catch(() => undefined);
  }

  private async readStatus(): Promise<StatusReading | undefined> {
    try {
      return await this.deps.api.status();
    } catch (err) {
      this.deps.logger.warn({ err }, 'status call failed while reconciling a start');
      return undefined;
    }
  }

  /** The write after the service answered: retried through a brief store failure, so the answer is not lost. */
  private persist<T>(jobId: string, write: () => Promise<T>): Promise<T> {
    const { scheduler = realScheduler, writeRetry = defaultWriteRetry, logger } = this.deps;
    return persistently(write, writeRetry, scheduler, logger, { jobId });
  }

  private async markRunning(job: Job, note: string, detail: string): Promise<Job> {
    const now = this.nowIso();
    const result = await this.persist(job.id, () =>
      this.deps.store.transition(
        job.id,
        ['starting'],
        'running',
        {
          startedAt: now,
          cardDirty: true,
          lastError: undefined,
          progress: { ...job.progress, serviceState: 'queued', lastProgressAt: now },
          // a job from the queue started without anyone clicking: its people are told
          ...(job.queuedAt
            ? { outbox: [...job.outbox, noticeOf(job, { kind: 'queue_started' }, true, new Date(now), 'queue')] }
            : {}),
        },
        { at: now, note: note + madeNote(job), detail },
      ),
    );
    return result.ok ? result.job : (result.job ?? job);
  }

  private async markStartFailed(job: Job, message: string, detail?: string): Promise<Job> {
    const now = this.nowIso();
    const result = await this.persist(job.id, () =>
      this.deps.store.transition(
        job.id,
        ['starting'],
        'start_failed',
        // A card update notifies nobody; a failed start deserves a message in the thread.
        {
          endedAt: now,
          lastError: message,
          cardDirty: true,
          outbox: [...job.outbox, noticeOf(job, { kind: 'start_result', lastError: message }, true, new Date(now))],
        },
        { at: now, note: 'start failed' + madeNote(job), detail: detail ?? message },
      ),
    );
    return result.ok ? result.job : (result.job ?? job);
  }

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }
}

/** The audit trail's record of the event the bot made for the job (on the entry that follows its creation). */
function madeNote(job: Job): string {
  const made = job.draftTarget;
  if (!made?.createdAt) return '';
  return made.foundExisting
    ? `; the real-time event ${job.toEventId} made for this job was found in Dataverse (not created again)`
    : `; the bot created the real-time event ${job.toEventId} in Dataverse`;
}

/** A short id for a log line, which a card can name without showing the error itself. */
export function newReference(): string {
  return randomUUID().slice(0, 8);
}
