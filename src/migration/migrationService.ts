import { isExpired, mayApprove, mayCancel, type ApprovalRules } from './approvalPolicy';
import { checklistTitle, readChecklist } from './checklist';
import { stateInWords } from './format';
import type { BlockedBy } from './jobView';
import { isRetryable } from './lifecycle';
import type { DomainLogger } from './ports';
import * as messages from './messages';
import { isStaleReading, isSupersededBy, notice } from './trackingRules';
import {
  EventsApiError,
  type ChecklistItemId,
  type Clock,
  type EventsApi,
  type Job,
  type JobStore,
  type Person,
  type StatusReading,
} from './types';

/**
 * The migration's life from a request to a started job: request, approve, cancel, retry, start.
 * Every decision is written to the store before anyone is told, and every step is safe to repeat:
 * Teams re-sends invokes and the bot restarts, but one approval starts at most one migration.
 */

export interface MigrationServiceDeps {
  store: JobStore;
  api: EventsApi;
  clock: Clock;
  rules: ApprovalRules;
  environment: string;
  approvalTtlMinutes: number;
  newId: () => string;
  logger: DomainLogger;
}

export type RequestOutcome =
  | { kind: 'created'; job: Job }
  /** nothing stored: the card explains why nothing can be done */
  | { kind: 'blocked'; draft: Job; blockedBy: BlockedBy };

export type ActionOutcome =
  | { kind: 'approved'; job: Job }
  | { kind: 'cancelled'; job: Job }
  | { kind: 'retry_created'; job: Job; original: Job }
  | { kind: 'refused'; job: Job; message: string; missing?: ChecklistItemId[] }
  /** the job is no longer waiting for this action (double click, re-sent invoke, expired): show it as it is */
  | { kind: 'unchanged'; job: Job; message: string }
  | { kind: 'not_found'; message: string };

export class MigrationService {
  constructor(private readonly deps: MigrationServiceDeps) {}

  async requestMigration(input: {
    fromEventId: string;
    toEventId: string;
    requester: Person;
    conversationId: string;
    tenantId?: string;
    retryOf?: string;
  }): Promise<RequestOutcome> {
    const { store, environment } = this.deps;
    const draft = this.newJob(input);
    const active = await store.activeJob(environment);
    if (active) return { kind: 'blocked', draft, blockedBy: { kind: 'active', job: active } };
    const done = await store.lastCompletedFrom(environment, input.fromEventId);
    if (done) return { kind: 'blocked', draft, blockedBy: { kind: 'already_migrated', job: done } };
    const job = await store.createJob(draft, { at: draft.requestedAt, by: input.requester, note: 'requested' });
    return { kind: 'created', job };
  }

  async approve(jobId: string, actor: Person, inputs: Record<string, unknown>): Promise<ActionOutcome> {
    const { store, clock, rules } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) return notFound();
    if (job.state !== 'pending_approval') return unchanged(job);
    const now = clock.now();
    if (isExpired(job, now)) return this.expire(job, actor);
    const policy = mayApprove(job, actor, rules);
    if (!policy.ok) return { kind: 'refused', job, message: policy.message };
    const checklist = readChecklist(inputs);
    if (checklist.missing.length > 0) {
      const titles = checklist.missing.map(checklistTitle);
      return {
        kind: 'refused',
        job,
        missing: checklist.missing,
        message: `Tick every item of the checklist before approving. Missing: ${titles.join('; ')}`,
      };
    }
    const result = await store.transition(
      job.id,
      ['pending_approval'],
      'approved',
      {
        approvedBy: actor,
        approvedAt: now.toISOString(),
        stopExistingIfJobRunning: checklist.replaceRunning,
        cardDirty: true,
      },
      {
        at: now.toISOString(),
        by: actor,
        note: checklist.replaceRunning ? 'approved (replace a running migration)' : 'approved',
      },
    );
    if (result.ok) return { kind: 'approved', job: result.job };
    if (result.reason === 'busy') {
      const a = result.active;
      return {
        kind: 'refused',
        job,
        message: `Another migration is already active in this environment (${a.fromEventId} -> ${a.toEventId}, ${a.state}, asked by ${a.requestedBy.name}). Wait for it to end.`,
      };
    }
    return result.job ? unchanged(result.job) : notFound();
  }

  async cancel(jobId: string, actor: Person): Promise<ActionOutcome> {
    const { store, clock, rules } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) return notFound();
    if (job.state !== 'pending_approval') return unchanged(job);
    const policy = mayCancel(job, actor, rules);
    if (!policy.ok) return { kind: 'refused', job, message: policy.message };
    const now = clock.now().toISOString();
    const result = await store.transition(
      job.id,
      ['pending_approval'],
      'cancelled',
      { endedAt: now, endedBy: actor, cardDirty: true },
      { at: now, by: actor, note: 'cancelled' },
    );
    if (result.ok) return { kind: 'cancelled', job: result.job };
    return result.job ? unchanged(result.job) : notFound();
  }

  /** Retry opens a new confirmation for the same ids: a new approval, never a silent re-run. */
  async retry(jobId: string, actor: Person, conversationId: string): Promise<ActionOutcome | RequestOutcome> {
    const original = await this.deps.store.getJob(jobId);
    if (!original) return notFound();
    if (!isRetryable(original.state)) {
      return unchanged(original);
    }
    const outcome = await this.requestMigration({
      fromEventId: original.fromEventId,
      toEventId: original.toEventId,
      requester: actor,
      conversationId,
      tenantId: original.tenantId,
      retryOf: original.id,
    });
    return outcome.kind === 'created' ? { kind: 'retry_created', job: outcome.job, original } : outcome;
  }

  /**
   * Calls the Events API for an approved job. Runs after the invoke was answered, never inside it.
   * The move to `starting` is a compare-and-set: of two callers (a re-sent invoke, a restart) only one calls.
   */
  async startApproved(jobId: string): Promise<Job | undefined> {
    const { store, api, clock, logger } = this.deps;
    const claimed = await store.transition(
      jobId,
      ['approved'],
      'starting',
      { cardDirty: true },
      { at: clock.now().toISOString(), note: 'start call' },
    );
    if (!claimed.ok) return claimed.job;
    const job = claimed.job;
    try {
      const result = await api.start(job.fromEventId, job.toEventId, {
        stopExistingIfJobRunning: job.stopExistingIfJobRunning,
      });
      return this.markRunning(job, `service accepted the start (${result.httpStatus})`, result.rawSummary);
    } catch (err) {
      const error = err instanceof EventsApiError ? err : new EventsApiError('unexpected', String(err), undefined, 1);
      logger.warn(
        { jobId, kind: error.kind, httpStatus: error.httpStatus, attempts: error.attempts },
        'start call failed',
      );
      // A start retried after a lost answer can meet its own job ("already running"): the status tells.
      if (error.kind === 'job_running' || error.kind === 'unavailable') {
        const reading = await this.readStatus();
        if (reading && this.isOurs(job, reading))
          return this.markRunning(
            job,
            'the status shows this job running after an unclear start answer',
            reading.rawSummary,
          );
      }
      return this.markStartFailed(job, error.message, error.rawSummary);
    }
  }

  /**
   * After a restart: `approved` jobs were never sent (the claim comes first), `starting` ones may have been.
   * Neither is started again before the status call says what the service is doing.
   */
  async reconcileAfterRestart(): Promise<Job[]> {
    const { store } = this.deps;
    const jobs = await store.jobsInStates(['approved', 'starting']);
    const resumed: Job[] = [];
    for (const job of jobs) {
      const reading = await this.readStatus();
      if (reading && this.isOurs(job, reading)) {
        const claimed =
          job.state === 'approved'
            ? await store.transition(
                job.id,
                ['approved'],
                'starting',
                {},
                { at: this.nowIso(), note: 'restart: found running on the service' },
              )
            : { ok: true as const, job };
        if (claimed.ok)
          resumed.push(
            await this.markRunning(
              claimed.job,
              'restart: the status shows this job on the service',
              reading.rawSummary,
            ),
          );
        continue;
      }
      if (job.state === 'approved') {
        const started = await this.startApproved(job.id);
        if (started) resumed.push(started);
        continue;
      }
      resumed.push(
        await this.markStartFailed(
          job,
          'The bot restarted while starting this migration and the service does not show it. Nothing was started twice; use Retry to start it after a new approval.',
          reading?.rawSummary,
        ),
      );
    }
    return resumed;
  }

  private isOurs(job: Job, reading: StatusReading): boolean {
    const named = reading.fromEventId !== undefined || reading.toEventId !== undefined;
    if (!named || isSupersededBy(job, reading) || isStaleReading(job, reading)) return false;
    // A finished state for the same ids may be an earlier run (a retry); only a start time after approval proves it is this one.
    if (reading.state === 'queued' || reading.state === 'running') return true;
    return ['completed', 'completed_with_errors', 'failed'].includes(reading.state) && reading.startedAt !== undefined;
  }

  private async readStatus(): Promise<StatusReading | undefined> {
    try {
      return await this.deps.api.status();
    } catch (err) {
      this.deps.logger.warn({ err: String(err) }, 'status call failed while reconciling a start');
      return undefined;
    }
  }

  private async markRunning(job: Job, note: string, detail: string): Promise<Job> {
    const now = this.nowIso();
    const result = await this.deps.store.transition(
      job.id,
      ['starting'],
      'running',
      {
        startedAt: now,
        cardDirty: true,
        lastError: undefined,
        progress: { ...job.progress, serviceState: 'queued', lastProgressAt: now },
      },
      { at: now, note, detail },
    );
    return result.ok ? result.job : (result.job ?? job);
  }

  private async markStartFailed(job: Job, message: string, detail?: string): Promise<Job> {
    const now = this.nowIso();
    const result = await this.deps.store.transition(
      job.id,
      ['starting'],
      'start_failed',
      // A card update notifies nobody; a failed start deserves a message in the thread.
      {
        endedAt: now,
        lastError: message,
        cardDirty: true,
        outbox: [...job.outbox, startFailedNotice(job, message, now)],
      },
      { at: now, note: 'start failed', detail: detail ?? message },
    );
    return result.ok ? result.job : (result.job ?? job);
  }

  private async expire(job: Job, actor: Person): Promise<ActionOutcome> {
    const now = this.nowIso();
    const result = await this.deps.store.transition(
      job.id,
      ['pending_approval'],
      'expired',
      { endedAt: now, cardDirty: true },
      { at: now, by: actor, note: 'approval came after the card expired' },
    );
    const current = result.ok ? result.job : (result.job ?? job);
    return {
      kind: 'unchanged',
      job: current,
      message: 'This request has expired. Type the migrate command again to make a new one.',
    };
  }

  private newJob(input: {
    fromEventId: string;
    toEventId: string;
    requester: Person;
    conversationId: string;
    tenantId?: string;
    retryOf?: string;
  }): Job {
    const now = this.deps.clock.now();
    return {
      id: this.deps.newId(),
      environment: this.deps.environment,
      fromEventId: input.fromEventId,
      toEventId: input.toEventId,
      state: 'pending_approval',
      requestedBy: input.requester,
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.deps.approvalTtlMinutes * 60_000).toISOString(),
      stopExistingIfJobRunning: false,
      conversationId: input.conversationId,
      tenantId: input.tenantId,
      retryOf: input.retryOf,
      progress: {},
      tracking: {
        consecutiveErrors: 0,
        lostContactWarned: false,
        stallWarned: false,
        milestonesPosted: [],
        samples: [],
      },
      outbox: [],
      cardDirty: false,
      version: 0,
      updatedAt: now.toISOString(),
    };
  }

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }
}

function startFailedNotice(job: Job, message: string, now: string) {
  const failed: Job = { ...job, state: 'start_failed', lastError: message };
  return notice(failed, 'start_result', messages.startResult(failed), true, new Date(now));
}

function unchanged(job: Job): ActionOutcome {
  return { kind: 'unchanged', job, message: `This migration is ${stateInWords(job.state)}; nothing was changed.` };
}

function notFound(): ActionOutcome {
  return {
    kind: 'not_found',
    message: 'This card refers to a migration the bot does not know. Type the migrate command again.',
  };
}
