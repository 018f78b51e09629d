import type { DomainLogger } from './ports';
import type { Preflight } from './preflight';
import type { GateDecision } from './preflightGate';
import { noticeOf } from './trackingRules';
import type { Clock, Job, JobStore } from './types';

/**
 * An environment's queue: jobs approved while it was busy, in approval order. Its one move (the first in line
 * takes the free slot) is one conditional write in the store, so of several replicas noticing the same ending
 * only one moves a job; the start then goes the usual way (JobStarter). Nothing here calls the Events API.
 */

export interface JobQueueDeps {
  store: JobStore;
  clock: Clock;
  environment: string;
  logger: DomainLogger;
  /** with Dataverse: the checks read again before each start from the queue */
  preflight?: Preflight;
}

/** What the queue holds now: the job holding the slot (if any), then the waiting ones in order. */
export interface QueueView {
  active?: Job;
  waiting: Job[];
}

export type NextFromQueue =
  /** moved to approved: start it */
  | { kind: 'start'; job: Job }
  /** the checks failed: it ended as held; look at the next one */
  | { kind: 'held'; job: Job }
  /** the slot is held, or nobody waits, or another replica moved the first in line */
  | { kind: 'none' };

type HeldFor = Exclude<GateDecision, { ok: true }>;

export class JobQueue {
  constructor(private readonly deps: JobQueueDeps) {}

  async view(): Promise<QueueView> {
    const { store, environment } = this.deps;
    const [active, waiting] = await Promise.all([store.activeJob(environment), store.queuedJobs(environment)]);
    return { active, waiting };
  }

  /** The first in line into the free slot, its checks read again before it may start. */
  async next(): Promise<NextFromQueue> {
    const { store, clock, environment, logger } = this.deps;
    // a read first: most endings and every sweep find nobody waiting, and need no write
    const { active, waiting } = await this.view();
    if (active || waiting.length === 0) return { kind: 'none' };
    const now = clock.now().toISOString();
    const job = await store.promoteNextQueued(
      environment,
      { promotedAt: now, cardDirty: true },
      { at: now, note: 'first in the queue: the slot is free' },
    );
    if (!job) return { kind: 'none' };
    logger.info({ jobId: job.id }, 'queued migration takes the free slot');
    const refusal = await this.recheck(job);
    if (!refusal) return { kind: 'start', job };
    return { kind: 'held', job: await this.hold(job, refusal) };
  }

  /** Every queued job's place again (after a job left the line), so each card says how many are before it. */
  async renumber(): Promise<Job[]> {
    const { active, waiting } = await this.view();
    const moved: Job[] = [];
    let ahead = active ? 1 : 0;
    for (const job of waiting) {
      if (job.aheadInQueue !== ahead) {
        const updated = await this.deps.store.update(job.id, { aheadInQueue: ahead, cardDirty: true }, job.version);
        if (updated) moved.push(updated);
      }
      ahead++;
    }
    return moved;
  }

  private async recheck(job: Job): Promise<HeldFor | undefined> {
    const { preflight } = this.deps;
    if (!preflight || !job.preflight) return undefined;
    const outcome = await preflight.recheck(job);
    return outcome.ok ? undefined : outcome.decision;
  }

  private async hold(job: Job, heldFor: HeldFor): Promise<Job> {
    const { store, clock, logger } = this.deps;
    const at = clock.now();
    const now = at.toISOString();
    const result = await store.transition(
      job.id,
      ['approved'],
      'held',
      {
        endedAt: now,
        heldFor,
        cardDirty: true,
        outbox: [...job.outbox, noticeOf(job, { kind: 'queue_held', heldFor }, true, at, 'queue')],
      },
      { at: now, note: 'held: the checks read again before the start failed', detail: heldFor },
    );
    logger.warn({ jobId: job.id }, 'queued migration held: its checks failed before the start');
    return result.ok ? result.job : (result.job ?? job);
  }
}
