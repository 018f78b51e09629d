import { ALL_TICKED, REPLACE_TOGGLE_ID } from './checklist';
import { TERMINAL_STATES } from './lifecycle';
import type { BlockedBy, Refusal } from './outcomes';
import type { Plan, PlanPairRecord, Clock, Job, JobStore, Person, PlanSummary } from './types';
import type { Preflight } from './preflight';
import { OVERRIDE_REASON_ID, OVERRIDE_TOGGLE_ID } from './preflightGate';
import type { DomainLogger } from './ports';
import { noticeOf } from './trackingRules';
import type { TurnDecisions } from './turnDecisions';

/**
 * A plan's decisions: asked for in one message, approved (or cancelled) once for all its pairs, its summary
 * sent once when its last job ended. Each pair is an ordinary job, decided by the same TurnDecisions as a
 * single job (so the same approval rules, checklist and checks); approving them in order queues them in order,
 * and the environment's one queue runs them. Every step is a compare-and-set, safe to repeat.
 */

export interface PlanPairInput {
  fromEventId: string;
  toEventId: string;
  fromName?: string;
  toName?: string;
}

export interface PlanRequestInput {
  pairs: PlanPairInput[];
  requester: Person;
  conversationId: string;
  tenantId?: string;
  requestActivityId?: string;
}

export type PlanRequestOutcome =
  | { kind: 'created' | 'duplicate'; plan: Plan; jobs: Job[] }
  /** a pair cannot be asked for (its outbound event was migrated already): nothing stored */
  | { kind: 'blocked'; index: number; blockedBy: BlockedBy };

export type PlanDecisionOutcome =
  /** the plan moved: `toStart` are the jobs that took the free slot at once (the rest wait in line) */
  | { kind: 'approved' | 'cancelled'; plan: Plan; jobs: Job[]; toStart: string[] }
  | { kind: 'refused'; plan: Plan; jobs: Job[]; refusal: Refusal }
  /** already decided (a re-sent or second click), or expired: nothing changed by this call */
  | { kind: 'unchanged'; plan: Plan; jobs: Job[]; why: 'decided' | 'expired' }
  | { kind: 'not_found' };

export interface PlansDeps {
  store: JobStore;
  decisions: TurnDecisions;
  clock: Clock;
  environment: string;
  newId: () => string;
  preflight?: Preflight;
  logger: DomainLogger;
}

const MIGRATED: readonly Job['state'][] = ['completed', 'completed_with_errors'];

export class Plans {
  constructor(private readonly deps: PlansDeps) {}

  /**
   * The jobs first, each under its own request key (the message's id and its line), so the same message
   * handled twice, or by two replicas at once, makes each job once; the plan's id is the first job's id.
   */
  async request(input: PlanRequestInput): Promise<PlanRequestOutcome> {
    const { store, decisions, environment, clock } = this.deps;
    const key = (i: number) => (input.requestActivityId ? `${input.requestActivityId}#${i + 1}` : undefined);
    const earlier = key(0) ? await store.jobForRequest(input.conversationId, key(0)!) : undefined;
    if (!earlier) {
      for (const [index, pair] of input.pairs.entries()) {
        const done = await store.lastCompletedFrom(environment, pair.fromEventId);
        if (done) return { kind: 'blocked', index, blockedBy: { kind: 'already_migrated', job: done } };
      }
    }
    let planId = earlier?.planId;
    let created = false;
    const jobs: Job[] = [];
    for (const [index, pair] of input.pairs.entries()) {
      const jobId = planId === undefined ? this.deps.newId() : undefined;
      const outcome = await decisions.requestMigration(
        {
          fromEventId: pair.fromEventId,
          toEventId: pair.toEventId,
          requester: input.requester,
          conversationId: input.conversationId,
          tenantId: input.tenantId,
          requestActivityId: key(index),
          planId: planId ?? jobId,
          planIndex: index,
        },
        jobId,
      );
      if (outcome.kind === 'blocked') return { kind: 'blocked', index, blockedBy: outcome.blockedBy };
      created ||= outcome.kind === 'created';
      planId ??= outcome.job.planId ?? outcome.job.id;
      jobs.push(outcome.kind === 'created' ? await this.begin(outcome.job) : outcome.job);
    }
    const plan = await store.createPlan({
      id: planId!,
      environment,
      conversationId: input.conversationId,
      ...(input.tenantId ? { tenantId: input.tenantId } : {}),
      requestedBy: input.requester,
      requestedAt: clock.now().toISOString(),
      state: 'pending',
      pairs: jobs.map((job, i) => pairRecord(job, input.pairs[i])),
    });
    return { kind: created ? 'created' : 'duplicate', plan, jobs: await this.jobsOf(plan) };
  }

  private begin(job: Job): Promise<Job> {
    return this.deps.preflight ? this.deps.preflight.begin(job) : Promise.resolve(job);
  }

  async find(planId: string): Promise<{ plan: Plan; jobs: Job[] } | undefined> {
    const plan = planId ? await this.deps.store.getPlan(planId) : undefined;
    return plan ? { plan, jobs: await this.jobsOf(plan) } : undefined;
  }

  async jobsOf(plan: Plan): Promise<Job[]> {
    const jobs = await Promise.all(plan.pairs.map((p) => this.deps.store.getJob(p.jobId)));
    return jobs.filter((j): j is Job => j !== undefined);
  }

  /**
   * The first job is approved as a single job would be (the rules, the checklist, the checks); only then is
   * the plan marked approved and the others approved in order by the same person, each into the line behind
   * the one before. A call finding the first job already approved (a re-sent click, or a crash half-way)
   * finishes what is left in the first approver's name and reports nothing new.
   */
  async approve(planId: string, actor: Person, inputs: Record<string, unknown>): Promise<PlanDecisionOutcome> {
    const { store, decisions, clock } = this.deps;
    const found = await this.find(planId);
    if (!found) return { kind: 'not_found' };
    const { plan, jobs } = found;
    if (plan.state === 'cancelled' || jobs.length === 0) return this.unchanged(plan, 'decided');
    const [first, ...rest] = jobs;
    let approver = first.approvedBy ?? actor;
    let fresh = false;
    if (first.state === 'pending_approval') {
      const outcome = await decisions.approve(first.id, actor, inputs);
      if (outcome.kind === 'refused')
        return { kind: 'refused', plan, jobs: await this.jobsOf(plan), refusal: outcome.refusal };
      if (outcome.kind === 'not_found') return { kind: 'not_found' };
      if (outcome.kind === 'unchanged' && outcome.why === 'expired') return this.expireRest(plan, rest, actor);
      fresh = outcome.kind !== 'unchanged';
      approver = outcome.job.approvedBy ?? actor;
    } else if (first.state === 'expired') return this.expireRest(plan, rest, actor);
    const decided = plan.state === 'pending' ? await store.decidePlan(plan.id, 'approved', approver, now(clock)) : plan;
    await this.approveRest(rest, approver, inputs);
    const after = (await store.getPlan(plan.id)) ?? decided ?? plan;
    const all = await this.jobsOf(after);
    if (!fresh) return { kind: 'unchanged', plan: after, jobs: all, why: 'decided' };
    return {
      kind: 'approved',
      plan: after,
      jobs: all,
      toStart: all.filter((j) => j.state === 'approved').map((j) => j.id),
    };
  }

  /**
   * Approvals a stopped process left half-done: the first pair approved, but not the plan or not every other
   * pair (the process stopped in between). Finished as the click would have: the plan marked approved in the
   * first approver's name (one conditional write: of several replicas one decides it), then each pair still
   * waiting approved in order (each its own compare-and-set), with the checklist the first approval proved
   * ticked and its override, if any. `olderThanMs`: only approvals at least that old (a live turn may still be
   * finishing a newer one). Returns the jobs that took the free slot (the rest wait in line).
   */
  async finishApprovals(olderThanMs?: number): Promise<string[]> {
    const { store, environment, clock } = this.deps;
    const cutoff = olderThanMs === undefined ? Infinity : clock.now().getTime() - olderThanMs;
    const open = [...(await store.pendingPlans(environment)), ...(await store.plansAwaitingSummary(environment))];
    const toStart: string[] = [];
    for (const plan of open) {
      // the first pair alone says whether an approval began: a plan nobody approved (or one that expired, which
      // stays pending) costs this sweep one read, not one per pair
      const first = plan.pairs[0] ? await store.getJob(plan.pairs[0].jobId) : undefined;
      if (!first?.approvedBy || !first.approvedAt || Date.parse(first.approvedAt) > cutoff) continue;
      const rest = await this.jobsOf({ ...plan, pairs: plan.pairs.slice(1) });
      if (plan.state === 'approved' && !rest.some((j) => j.state === 'pending_approval')) continue;
      this.deps.logger.warn({ planId: plan.id }, "a plan's approval was cut short; finishing it");
      if (plan.state === 'pending') await store.decidePlan(plan.id, 'approved', first.approvedBy, first.approvedAt);
      const approved = await this.approveRest(rest, first.approvedBy, approvalInputsOf(first));
      toStart.push(...approved);
    }
    return toStart;
  }

  /**
   * The pairs after the first, in order, each behind the one before; never "replace a running migration"
   * (that would stop the plan's own first pair). Returns the ones that took the free slot.
   */
  private async approveRest(rest: readonly Job[], approver: Person, inputs: Record<string, unknown>) {
    const { [REPLACE_TOGGLE_ID]: _replace, ...forTheRest } = inputs;
    const approved: string[] = [];
    for (const job of rest) {
      const current = await this.deps.store.getJob(job.id);
      if (current?.state !== 'pending_approval') continue;
      const outcome = await this.deps.decisions.approve(job.id, approver, forTheRest);
      if (outcome.kind === 'approved') approved.push(job.id);
      // this pair's own checks refuse it now: it is left out of the line, the others go on
      if (outcome.kind === 'refused') await this.leaveOut(current, approver);
    }
    return approved;
  }

  /** Cancel before approval: the first job's rules decide (as a single job's Cancel), then every pair. */
  async cancel(planId: string, actor: Person): Promise<PlanDecisionOutcome> {
    const { store, decisions, clock } = this.deps;
    const found = await this.find(planId);
    if (!found) return { kind: 'not_found' };
    const { plan, jobs } = found;
    const first = jobs[0];
    if (plan.state === 'pending' && first?.state === 'expired') return this.unchanged(plan, 'expired');
    if (plan.state !== 'pending' || first?.state !== 'pending_approval') return this.unchanged(plan, 'decided');
    const outcome = await decisions.cancel(first.id, actor);
    if (outcome.kind === 'refused')
      return { kind: 'refused', plan, jobs: await this.jobsOf(plan), refusal: outcome.refusal };
    if (outcome.kind !== 'cancelled') return this.unchanged(plan, 'decided');
    await store.decidePlan(plan.id, 'cancelled', actor, now(clock));
    for (const job of jobs.slice(1)) if (job.state === 'pending_approval') await decisions.cancel(job.id, actor);
    const after = (await store.getPlan(plan.id)) ?? plan;
    return { kind: 'cancelled', plan: after, jobs: await this.jobsOf(after), toStart: [] };
  }

  /**
   * Every approved plan of this environment whose jobs have all ended gets its summary: marked sent and put in
   * the last job's outbox by one conditional write (of several replicas one wins), then delivered as usual.
   * Returns the jobs whose outbox got one.
   */
  async summariseEnded(): Promise<string[]> {
    const { store, clock, environment } = this.deps;
    const owed: string[] = [];
    for (const plan of await store.plansAwaitingSummary(environment)) {
      const jobs = await this.jobsOf(plan);
      if (jobs.length === 0 || !jobs.every((j) => TERMINAL_STATES.includes(j.state))) continue;
      const at = clock.now();
      const last = jobs[jobs.length - 1];
      const notice = noticeOf(last, { kind: 'plan_summary', summary: summaryOf(plan, jobs) }, false, at, 'plan');
      if (await store.markPlanSummarySent(plan.id, at.toISOString(), { jobId: last.id, notice })) owed.push(last.id);
    }
    return owed;
  }

  /**
   * The first pair expired (the plan's one approval came too late): every pair waiting expires with it, whatever
   * its own expiry says (they were asked for together, a few milliseconds apart: none may be approved alone).
   */
  private async expireRest(plan: Plan, rest: readonly Job[], actor: Person): Promise<PlanDecisionOutcome> {
    const at = now(this.deps.clock);
    for (const job of rest)
      await this.deps.store.transition(
        job.id,
        ['pending_approval'],
        'expired',
        { endedAt: at, cardDirty: true },
        { at, by: actor, note: 'expired with its plan: the approval came after the card expired' },
      );
    return this.unchanged(plan, 'expired');
  }

  private async leaveOut(job: Job, by: Person): Promise<void> {
    const at = now(this.deps.clock);
    await this.deps.store.transition(
      job.id,
      ['pending_approval'],
      'cancelled',
      { endedAt: at, endedBy: by, lastError: 'Not approved with its plan: its own checks refused it.' },
      { at, by, note: "left out of its plan's approval: its checks refused it" },
    );
  }

  private async unchanged(plan: Plan, why: 'decided' | 'expired'): Promise<PlanDecisionOutcome> {
    return { kind: 'unchanged', plan, jobs: await this.jobsOf(plan), why };
  }
}

/** What the first pair's stored approval proves was given: the checklist, and the override of failed checks. */
function approvalInputsOf(first: Job): Record<string, unknown> {
  const override = first.preflight?.override;
  return override
    ? { ...ALL_TICKED, [OVERRIDE_TOGGLE_ID]: 'true', [OVERRIDE_REASON_ID]: override.reason }
    : { ...ALL_TICKED };
}

function now(clock: Clock): string {
  return clock.now().toISOString();
}

function pairRecord(job: Job, input: PlanPairInput): PlanPairRecord {
  return {
    jobId: job.id,
    fromEventId: job.fromEventId,
    toEventId: job.toEventId,
    ...(input.fromName ? { fromName: input.fromName } : {}),
    ...(input.toName ? { toName: input.toName } : {}),
  };
}

/** Each pair's ending with its counts, and how many pairs were migrated. */
export function summaryOf(plan: Plan, jobs: readonly Job[]): PlanSummary {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const pairs = plan.pairs.map((p) => {
    const job = byId.get(p.jobId);
    return {
      jobId: p.jobId,
      fromEventId: p.fromEventId,
      toEventId: p.toEventId,
      ...(p.fromName ? { fromName: p.fromName } : {}),
      ...(p.toName ? { toName: p.toName } : {}),
      state: job?.state ?? 'lost',
      ...(job?.progress.processed !== undefined ? { processed: job.progress.processed } : {}),
      ...(job?.progress.failed !== undefined ? { failed: job.progress.failed } : {}),
    };
  });
  const migrated = pairs.filter((p) => MIGRATED.includes(p.state)).length;
  return { planId: plan.id, pairs, migrated, failed: pairs.length - migrated };
}
