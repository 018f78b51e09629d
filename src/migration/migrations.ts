import { planDraft, type DraftEventsPort, type DraftRefusal } from './draftTarget';
import type { JobQueue, QueueView } from './jobQueue';
import type { JobStarter } from './jobStarter';
import type { PlanDecisionOutcome, PlanRequestInput, PlanRequestOutcome, Plans } from './plans';
import { type Plan, systemClock, type Clock, type Job, type JobStore, type Person } from './types';
import type { NotificationDispatcher } from './notificationDispatcher';
import type {
  ApproveOutcome,
  AskForgetOutcome,
  ForgetOutcome,
  CancelOutcome,
  FindOutcome,
  RecordCardOutcome,
  RequestOutcome,
  ResumeOutcome,
  RetryOutcome,
  StartOutcome,
} from './outcomes';
import { NO_LOG_SCOPE, type DomainLogger, type LogScope } from './ports';
import type { Preflight } from './preflight';
import type { MissingList, Reconciler } from './reconciliation';
import type { Tracker } from './tracker';
import type { TurnDecisions } from './turnDecisions';

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
  /** with Dataverse: the checks around the confirmation card */
  preflight?: Preflight;
  /** with Dataverse: source against target after the end */
  reconciler?: Reconciler;
  clock?: Clock;
  /** the start's log lines (the Events API call, the sends) carry the job's id */
  scope?: LogScope;
  /** with Dataverse: `migrate <id> new` reads the outbound event and the privileges to make its target */
  drafts?: DraftEventsPort;
  /** the environment's queue: jobs approved while it was busy, started one by one as the slot frees */
  queue: JobQueue;
  /** plans of several pairs: approved once, run one by one by the queue, summarised once */
  plans: Plans;
}

/** What `migrate <id> new` can come to: a request as usual, or refused before any card (nothing stored). */
export type NewTargetOutcome = RequestOutcome | { kind: 'refused'; refusal: DraftRefusal };

/** What `missing` can come to. */
export type MissingOutcome =
  | { kind: 'listed'; job: Job; list: MissingList }
  | { kind: 'not_ended'; job: Job }
  | { kind: 'no_dataverse' }
  | { kind: 'not_found' };

const COMPARED_ENDINGS: readonly Job['state'][] = ['completed', 'completed_with_errors', 'failed'];
/** Older endings are left alone: the target may have been changed by hand since. */
const RECONCILE_AFTER_RESTART_MS = 24 * 60 * 60_000;

export class Migrations {
  /** one pass of the queue at a time in this process; a call meanwhile asks for one more pass */
  private advancing: Promise<void> | undefined;
  private advanceAgain = false;

  constructor(private readonly deps: MigrationsDeps) {
    // every ending the tracker stores frees the slot: the next in line starts within the same poll
    deps.tracker.onEnded(() => void this.advanceQueue());
  }

  // ---------------------------------------------------------------- decisions inside a turn

  /** A new request; with Dataverse its card says the checks are under way (`checkPreflight` fills them in). */
  async request(input: Parameters<TurnDecisions['requestMigration']>[0]): Promise<RequestOutcome> {
    const outcome = await this.deps.decisions.requestMigration(input);
    if (outcome.kind !== 'created' || !this.deps.preflight) return outcome;
    return { kind: 'created', job: await this.deps.preflight.begin(outcome.job) };
  }

  /**
   * A request whose target the bot makes: refused at once without Dataverse, without the privileges to create
   * events, or when the outbound event cannot be read; otherwise what will be made is stored with the job.
   */
  async requestNewTarget(
    input: Omit<Parameters<TurnDecisions['requestMigration']>[0], 'toEventId' | 'draftTarget'>,
  ): Promise<NewTargetOutcome> {
    const { store, decisions, preflight, drafts } = this.deps;
    // Teams delivering the same message again gets the card it got, whatever Dataverse says now.
    const earlier = input.requestActivityId
      ? await store.jobForRequest(input.conversationId, input.requestActivityId)
      : undefined;
    if (earlier) return { kind: 'duplicate', job: earlier };
    const plan = await planDraft(drafts, input.fromEventId);
    if (!plan.ok) return { kind: 'refused', refusal: plan.refusal };
    const outcome = await decisions.requestNewTarget(input, plan.spec);
    if (outcome.kind !== 'created' || !preflight) return outcome;
    return { kind: 'created', job: await preflight.begin(outcome.job) };
  }

  /** After the turn that posted the card: the Dataverse checks, stored on the job, then the card redrawn. */
  async checkPreflight(jobId: string): Promise<void> {
    if (!this.deps.preflight) return;
    await this.deps.preflight.checkAndRecord(jobId);
    await this.deps.dispatcher.flush(jobId);
  }

  /** Checks a previous run left half-done (its card would say "checking" for ever): read them again. */
  private async recheckUnfinishedPreflights(): Promise<void> {
    if (!this.deps.preflight) return;
    const waiting = await this.deps.store.jobsInStates(['pending_approval']);
    const mine = waiting.filter((j) => j.environment === this.deps.environment && j.preflight?.status === 'checking');
    for (const job of mine) await this.inScope(job.id, () => this.checkPreflight(job.id));
  }

  /** A job that ended just before a restart, before its comparison was stored: compare it now. */
  private async reconcileUnfinished(): Promise<void> {
    const { reconciler, store, environment, dispatcher } = this.deps;
    if (!reconciler) return;
    const since = (this.deps.clock ?? systemClock).now().getTime() - RECONCILE_AFTER_RESTART_MS;
    const recent = await store.listJobs(environment, 10);
    const owed = recent.filter(
      (j) => COMPARED_ENDINGS.includes(j.state) && !j.reconciliation && Date.parse(j.endedAt ?? '') > since,
    );
    for (const job of owed)
      await this.inScope(job.id, async () => {
        await reconciler.reconcile(job.id);
        await dispatcher.flush(job.id);
      });
  }

  /** The registrations of an ended job that did not arrive (`jobId` empty: the last job here). */
  async missing(jobId: string | undefined): Promise<MissingOutcome> {
    const { reconciler, store } = this.deps;
    if (!reconciler) return { kind: 'no_dataverse' };
    const job = jobId ? await store.getJob(jobId) : await this.current();
    if (!job || job.environment !== this.deps.environment) return { kind: 'not_found' };
    if (!COMPARED_ENDINGS.includes(job.state)) return { kind: 'not_ended', job };
    return { kind: 'listed', job, list: await reconciler.missing(job) };
  }

  /** Checked and written at once; when approved, the caller runs `startAndFollow` after its turn. */
  approve(jobId: string, actor: Person, inputs: Record<string, unknown>): Promise<ApproveOutcome> {
    return this.deps.decisions.approve(jobId, actor, inputs);
  }

  async cancel(jobId: string, actor: Person): Promise<CancelOutcome> {
    const outcome = await this.deps.decisions.cancel(jobId, actor);
    // the places behind a cancelled queued job move up (their cards say so after the turn)
    if (outcome.kind === 'cancelled' && outcome.job.queuedAt) {
      await this.renumberQueue();
      await this.summarisePlans();
    }
    return outcome;
  }

  /** A new confirmation for the same ids; its card is owed to the conversation (`deliver` posts it). */
  async retry(jobId: string, actor: Person, conversationId: string, requestActivityId?: string): Promise<RetryOutcome> {
    const outcome = await this.deps.decisions.retry(jobId, actor, conversationId, requestActivityId);
    if (outcome.kind !== 'retry_created' || !this.deps.preflight) return outcome;
    return { ...outcome, job: await this.deps.preflight.begin(outcome.job) };
  }

  /** Whether the person may stop following the job: the confirmation to show, or the refusal. Changes nothing. */
  askToForget(jobId: string, actor: Person): Promise<AskForgetOutcome> {
    return this.deps.decisions.askToForget(jobId, actor);
  }

  /** Stop following a running job (after the confirmation): abandoned, the environment free, the service not told. */
  async forget(jobId: string, actor: Person): Promise<ForgetOutcome> {
    const outcome = await this.deps.decisions.forget(jobId, actor);
    if (outcome.kind === 'abandoned') void this.advanceQueue();
    return outcome;
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

  /** What runs and what waits here, in order. */
  queue(): Promise<QueueView> {
    return this.deps.queue.view();
  }

  history(limit: number): Promise<Job[]> {
    return this.deps.store.listJobs(this.deps.environment, limit);
  }

  // ---------------------------------------------------------------- the work after a turn

  /** After an approval: show it, call the service once, follow the job if it runs, show the result. */
  startAndFollow(jobId: string): Promise<StartOutcome> {
    return this.inScope(jobId, () => this.startAndFollowNow(jobId));
  }

  private async startAndFollowNow(jobId: string): Promise<StartOutcome> {
    const { dispatcher, starter, tracker } = this.deps;
    await dispatcher.flush(jobId);
    const job = await starter.startApproved(jobId);
    if (job?.state === 'running') tracker.track(job);
    await dispatcher.flush(jobId);
    if (job?.state === 'running') return { kind: 'running', job };
    // a failed start frees the slot: whoever waits in line goes next (not from inside the queue's own pass)
    if (job?.state === 'start_failed') {
      if (!this.advancing) void this.advanceQueue();
      return { kind: 'start_failed', job };
    }
    return { kind: 'not_claimed', job };
  }

  /**
   * The queue's work: while the slot is free, the first in line takes it and is started (or held when its
   * checks now fail, or ends as could-not-start): each of those frees the slot again for the next. Safe to call
   * any time from any replica: the store moves each queued job once, the starter's claim starts it once.
   */
  advanceQueue(): Promise<void> {
    if (this.advancing) {
      this.advanceAgain = true;
      return this.advancing;
    }
    const run = async () => {
      do {
        this.advanceAgain = false;
        await this.advanceOnce();
      } while (this.advanceAgain);
      // every ending comes through here (the tracker's, a failed start, a hold, a forget, the sweep, a restart)
      await this.summarisePlans();
    };
    this.advancing = run()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'moving the queue on failed; the sweep tries again'))
      .finally(() => (this.advancing = undefined));
    return this.advancing;
  }

  private async advanceOnce(): Promise<void> {
    const { queue, dispatcher } = this.deps;
    for (;;) {
      const next = await queue.next();
      if (next.kind === 'none') break;
      await this.renumberQueue();
      if (next.kind === 'held') {
        await dispatcher.flush(next.job.id);
        continue;
      }
      const started = await this.startAndFollow(next.job.id);
      if (started.kind === 'running') break;
      // could not start: it ended as start_failed (with Retry), the slot is free for the next in line
    }
  }

  // ---------------------------------------------------------------- plans of several pairs

  /** Every pair stored as a job of one plan, its card owed to the caller; nothing stored when one is blocked. */
  requestPlan(input: PlanRequestInput): Promise<PlanRequestOutcome> {
    return this.deps.plans.request(input);
  }

  findPlan(planId: string): Promise<{ plan: Plan; jobs: Job[] } | undefined> {
    return this.deps.plans.find(planId);
  }

  /**
   * After the plan's turn, as a single request's checks: the Dataverse checks of every pair, stored on each job,
   * then the plan's card redrawn with them.
   */
  async checkPlanPreflight(planId: string): Promise<void> {
    const { preflight, dispatcher } = this.deps;
    const found = await this.deps.plans.find(planId);
    if (!preflight || !found) return;
    await Promise.all(found.jobs.map((job) => this.inScope(job.id, () => preflight.checkAndRecord(job.id))));
    await dispatcher.redrawPlan(planId);
  }

  /** One approval for every pair; the caller starts `toStart` after its turn (the rest wait in line). */
  approvePlan(planId: string, actor: Person, inputs: Record<string, unknown>): Promise<PlanDecisionOutcome> {
    return this.deps.plans.approve(planId, actor, inputs);
  }

  cancelPlan(planId: string, actor: Person): Promise<PlanDecisionOutcome> {
    return this.deps.plans.cancel(planId, actor);
  }

  recordPlanCard(planId: string, activityId: string): Promise<void> {
    return this.deps.store.recordPlanCard(planId, activityId);
  }

  /** Plans whose last job ended: their one summary goes out through the last job's outbox. */
  private async summarisePlans(): Promise<void> {
    const owed = await this.deps.plans.summariseEnded();
    for (const jobId of owed) await this.deps.dispatcher.flush(jobId);
  }

  private async renumberQueue(): Promise<void> {
    const moved = await this.deps.queue.renumber();
    for (const job of moved) void this.deps.dispatcher.flush(job.id);
  }

  /** Without a restart: the same reconciliation for jobs stuck before running longer than `olderThanMs`. */
  async sweepStuckStarts(olderThanMs: number): Promise<number> {
    const { starter, tracker, dispatcher, plans } = this.deps;
    // a plan whose approving turn stopped half-way (its replica died): finished, and what took the slot started
    for (const jobId of await plans.finishApprovals(olderThanMs)) await this.startAndFollow(jobId);
    const reconciled = await starter.reconcileStuck(olderThanMs);
    for (const job of reconciled) {
      if (job.state === 'running') tracker.track(job);
      await dispatcher.flush(job.id);
    }
    // a crash between an ending and the queue's move leaves the slot free with jobs in line: move it now
    await this.advanceQueue();
    return reconciled.length;
  }

  /** Every line logged by `work` (the store's and the dispatcher's too) carries the job's id. */
  private inScope<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    return (this.deps.scope ?? NO_LOG_SCOPE).run({ jobId }, work);
  }

  /** After a restart: reconcile the jobs being started, follow the running ones, deliver what is owed. */
  async resumeAfterRestart(): Promise<ResumeOutcome> {
    const { starter, tracker, dispatcher, logger, plans } = this.deps;
    // first: a plan's approval cut short by the stop is finished, so what it approves is reconciled with the rest
    await plans.finishApprovals();
    const reconciled = await starter.reconcileAfterRestart();
    const tracked = await tracker.resume();
    await dispatcher.flushAll();
    // jobs in line whose slot came free while the bot was down (or just before): the first starts now
    await this.advanceQueue();
    // last: a slow Dataverse must not hold up following the running jobs
    await this.recheckUnfinishedPreflights();
    await this.reconcileUnfinished();
    if (reconciled.length + tracked > 0)
      logger.info({ reconciled: reconciled.length, tracked }, 'resumed jobs from the store');
    return { reconciled: reconciled.length, tracked };
  }
}
