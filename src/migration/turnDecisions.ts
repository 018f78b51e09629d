import { isExpired, mayApprove, mayCancel, mayForget, type ApprovalRules } from './approvalPolicy';
import { readChecklist } from './checklist';
import { isDuplicateRequest } from './duplicateRequest';
import { draftEventId, type DraftEventSpec } from './draftTarget';
import { earlierRunOf } from './earlierRun';
import { isRetryable } from './lifecycle';
import { newJob, type NewJobInput } from './newJob';
import type { GateOutcome, Preflight } from './preflight';
import type {
  ApproveOutcome,
  AskForgetOutcome,
  CancelOutcome,
  ForgetOutcome,
  NotFound,
  RequestOutcome,
  RetryOutcome,
  Unchanged,
} from './outcomes';
import type { Clock, Job, JobStore, Person } from './types';

/**
 * The decisions taken inside a turn: request, approve, cancel, retry. Each is checked and written at once and
 * calls no service, so a turn answers quickly; what follows an approval runs after the turn (`jobStarter.ts`).
 * Every decision is a compare-and-set in the store: a re-sent invoke finds the job already moved.
 */

export interface TurnDecisionDeps {
  store: JobStore;
  clock: Clock;
  rules: ApprovalRules;
  environment: string;
  approvalTtlMinutes: number;
  newId: () => string;
  /** the Dataverse checks run again at Approve; absent without DATAVERSE_URL */
  preflight?: Preflight;
}

export class TurnDecisions {
  constructor(private readonly deps: TurnDecisionDeps) {}

  /** `jobId`: chosen by the caller (a made target's id is derived from it); otherwise a new one. */
  async requestMigration(input: Omit<NewJobInput, 'environment'>, jobId?: string): Promise<RequestOutcome> {
    const { store, environment, clock, approvalTtlMinutes, newId } = this.deps;
    const draft = newJob({ ...input, environment }, { id: jobId ?? newId(), now: clock.now(), approvalTtlMinutes });
    // A re-delivered activity is recognised before anything else: its job may have moved on (and now be the
    // active one), and the answer is the card it already got.
    const earlier = input.requestActivityId
      ? await store.jobForRequest(input.conversationId, input.requestActivityId)
      : undefined;
    if (earlier) return { kind: 'duplicate', job: earlier };
    const done = await store.lastCompletedFrom(environment, input.fromEventId);
    if (done) return { kind: 'blocked', draft, blockedBy: { kind: 'already_migrated', job: done } };
    // A busy environment is no dead end: the card says how many are in line, and Approve queues it.
    const ahead = await aheadInQueue(store, environment);
    const asked: Job = ahead > 0 ? { ...draft, aheadInQueue: ahead } : draft;
    try {
      const job = await store.createJob(asked, { at: draft.requestedAt, by: input.requester, note: 'requested' });
      return { kind: 'created', job };
    } catch (err) {
      // The same activity arriving at two replicas at once: the store's unique index lets one through.
      if (isDuplicateRequest(err)) return { kind: 'duplicate', job: err.existing };
      throw err;
    }
  }

  /** `migrate <id> new`: the job's target is an event the bot makes, its id derived from the new job's id. */
  requestNewTarget(
    input: Omit<NewJobInput, 'environment' | 'toEventId' | 'draftTarget'>,
    spec: DraftEventSpec,
  ): Promise<RequestOutcome> {
    const jobId = this.deps.newId();
    return this.requestMigration({ ...input, toEventId: draftEventId(jobId), draftTarget: { spec } }, jobId);
  }

  async approve(jobId: string, actor: Person, inputs: Record<string, unknown>): Promise<ApproveOutcome> {
    const { store, clock, rules } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) return notFound;
    if (job.state !== 'pending_approval') return unchanged(job);
    const now = clock.now();
    if (isExpired(job, now)) return this.expire(job, actor);
    const policy = mayApprove(job, actor, rules);
    if (!policy.ok) return { kind: 'refused', job, refusal: { kind: 'policy', decision: policy } };
    const checklist = readChecklist(inputs);
    if (checklist.missing.length > 0)
      return { kind: 'refused', job, refusal: { kind: 'checklist', missing: checklist.missing } };
    const earlier = await earlierRunOf(store, job);
    if (earlier) return { kind: 'refused', job, refusal: { kind: 'earlier_run', earlier } };
    const gate = this.deps.preflight ? await this.deps.preflight.gate(job, inputs, actor) : undefined;
    if (gate && !gate.ok)
      return { kind: 'refused', job: gate.job, refusal: { kind: 'preflight', decision: gate.decision } };
    const approvedNote = checklist.replaceRunning ? 'approved (replace a running migration)' : 'approved';
    // Replacing stops the running one now, as before; otherwise a busy environment (or a queue) means the line.
    const ahead = checklist.replaceRunning ? 0 : await aheadInQueue(store, job.environment);
    if (ahead > 0) return this.enqueue(job, actor, ahead, gate, approvedNote);
    const result = await store.transition(
      job.id,
      ['pending_approval'],
      'approved',
      {
        approvedBy: actor,
        approvedAt: now.toISOString(),
        stopExistingIfJobRunning: checklist.replaceRunning,
        cardDirty: true,
        ...gate?.patch,
      },
      {
        at: now.toISOString(),
        by: actor,
        note: gate?.note ? `${approvedNote}; ${gate.note}` : approvedNote,
        detail: gate?.detail,
      },
    );
    if (result.ok) return { kind: 'approved', job: result.job };
    // another job took the slot between the look and the write: in line behind it, unless replacing
    if (result.reason === 'busy' && !checklist.replaceRunning)
      return this.enqueue(job, actor, await aheadInQueue(store, job.environment), gate, approvedNote);
    if (result.reason === 'busy') return { kind: 'refused', job, refusal: { kind: 'busy', active: result.active } };
    return result.job ? unchanged(result.job) : notFound;
  }

  /** Approve for a busy environment: the job waits in line, its place the approval order. */
  private async enqueue(
    job: Job,
    actor: Person,
    ahead: number,
    gate: Extract<GateOutcome, { ok: true }> | undefined,
    approvedNote: string,
  ): Promise<ApproveOutcome> {
    const now = this.deps.clock.now().toISOString();
    const result = await this.deps.store.transition(
      job.id,
      ['pending_approval'],
      'queued',
      {
        approvedBy: actor,
        approvedAt: now,
        queuedAt: now,
        aheadInQueue: ahead,
        stopExistingIfJobRunning: false,
        cardDirty: true,
        ...gate?.patch,
      },
      {
        at: now,
        by: actor,
        note: `${approvedNote}; queued (${ahead} ahead)${gate?.note ? `; ${gate.note}` : ''}`,
        detail: gate?.detail,
      },
    );
    if (result.ok) return { kind: 'queued', job: result.job };
    return result.job ? unchanged(result.job) : notFound;
  }

  async cancel(jobId: string, actor: Person): Promise<CancelOutcome> {
    const { store, clock, rules } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) return notFound;
    if (job.state !== 'pending_approval' && job.state !== 'queued') return unchanged(job);
    const policy = mayCancel(job, actor, rules);
    if (!policy.ok) return { kind: 'refused', job, refusal: { kind: 'policy', decision: policy } };
    const now = clock.now().toISOString();
    const result = await store.transition(
      job.id,
      [job.state],
      'cancelled',
      { endedAt: now, endedBy: actor, cardDirty: true },
      { at: now, by: actor, note: job.state === 'queued' ? 'cancelled (taken out of the queue)' : 'cancelled' },
    );
    if (result.ok) return { kind: 'cancelled', job: result.job };
    return result.job ? unchanged(result.job) : notFound;
  }

  /**
   * Retry opens a new confirmation for the same ids: a new approval, never a silent re-run. The new card is
   * owed to the conversation (marked for drawing), so it is posted after the turn like every other message.
   */
  async retry(jobId: string, actor: Person, conversationId: string, requestActivityId?: string): Promise<RetryOutcome> {
    const original = await this.deps.store.getJob(jobId);
    if (!original) return notFound;
    if (!isRetryable(original.state)) return unchanged(original);
    const outcome = await this.requestMigration({
      fromEventId: original.fromEventId,
      toEventId: original.toEventId,
      requester: actor,
      conversationId,
      tenantId: original.tenantId,
      retryOf: original.id,
      requestActivityId,
      // the same event to make (or to find, when the earlier job made it): never a second one
      ...(original.draftTarget ? { draftTarget: { spec: original.draftTarget.spec } } : {}),
    });
    if (outcome.kind === 'blocked') return { kind: 'blocked', original, blockedBy: outcome.blockedBy };
    if (outcome.kind === 'duplicate') return { kind: 'retry_created', job: outcome.job, original };
    const owed = (await this.deps.store.update(outcome.job.id, { cardDirty: true })) ?? outcome.job;
    return { kind: 'retry_created', job: owed, original };
  }

  /** Whether this person may stop following the job; changes nothing (the confirmation comes first). */
  async askToForget(jobId: string, actor: Person): Promise<AskForgetOutcome> {
    const job = await this.deps.store.getJob(jobId);
    if (!job) return notFound;
    if (job.state !== 'running') return unchanged(job);
    const policy = mayForget(actor, this.deps.rules);
    if (!policy.ok) return { kind: 'refused', job, refusal: { kind: 'policy', decision: policy } };
    return { kind: 'confirm', job };
  }

  /**
   * Stop following a running job: the bot's own record ends as abandoned and the environment is free. The
   * service is not called (it has no stop call, and may not know the job at all); the tracker, finding the job
   * no longer running, stops reading its status.
   */
  async forget(jobId: string, actor: Person): Promise<ForgetOutcome> {
    const asked = await this.askToForget(jobId, actor);
    if (asked.kind !== 'confirm') return asked;
    const now = this.deps.clock.now().toISOString();
    const result = await this.deps.store.transition(
      jobId,
      ['running'],
      'abandoned',
      { endedAt: now, endedBy: actor, cardDirty: true, progress: { ...asked.job.progress, eta: undefined } },
      { at: now, by: actor, note: 'stopped following (the service was not told)' },
    );
    if (result.ok) return { kind: 'abandoned', job: result.job };
    return result.job ? unchanged(result.job) : notFound;
  }

  private async expire(job: Job, actor: Person): Promise<Unchanged> {
    const now = this.deps.clock.now().toISOString();
    const result = await this.deps.store.transition(
      job.id,
      ['pending_approval'],
      'expired',
      { endedAt: now, cardDirty: true },
      { at: now, by: actor, note: 'approval came after the card expired' },
    );
    return { kind: 'unchanged', job: result.ok ? result.job : (result.job ?? job), why: 'expired' };
  }
}

const notFound: NotFound = { kind: 'not_found' };

/** How many are in line before a new job: the one holding the slot and the queued ones. */
export async function aheadInQueue(store: JobStore, environment: string): Promise<number> {
  const [active, queued] = await Promise.all([store.activeJob(environment), store.queuedJobs(environment)]);
  return (active ? 1 : 0) + queued.length;
}

function unchanged(job: Job): Unchanged {
  return { kind: 'unchanged', job, why: 'not_waiting' };
}
