/**
 * The pre-flight checks against Dataverse, around the confirmation card: read once the card is posted (the card
 * is answered at once, the evidence is stored on the job and the card owed again), and read again at Approve
 * before anything starts. Dataverse being down or slow never blocks by itself: it becomes "could not check".
 */
import type { DataverseFactsPort } from './dataverseFacts';
import { OVERRIDE_REASON_ID, OVERRIDE_TOGGLE_ID, judgeGate, type GateDecision } from './preflightGate';
import { judgePreflight, type CheckEvidence } from './preflightEvidence';
import type { DomainLogger } from './ports';
import type { Clock, Job, JobStore, Person, PreflightOverride, PreflightRecord } from './types';

export type GateOutcome =
  | { ok: true; patch: Pick<Job, 'preflight'>; note?: string; detail?: unknown }
  | { ok: false; job: Job; decision: Exclude<GateDecision, { ok: true }> };

export interface PreflightDeps {
  facts: DataverseFactsPort;
  store: JobStore;
  clock: Clock;
  logger: DomainLogger;
  /** how long Approve waits for Dataverse before the checks count as "could not check" */
  approvalBudgetMs?: number;
}

const DEFAULT_APPROVAL_BUDGET_MS = 5_000;

export class Preflight {
  constructor(private readonly deps: PreflightDeps) {}

  /** Marks a new request as being checked, so its first card already says so. */
  async begin(job: Job): Promise<Job> {
    const preflight: PreflightRecord = { status: 'checking', startedAt: this.deps.clock.now().toISOString() };
    return (await this.deps.store.update(job.id, { preflight })) ?? job;
  }

  /** Reads the facts and stores the evidence (the card is owed again); leaves evidence written by Approve alone. */
  async checkAndRecord(jobId: string): Promise<Job | undefined> {
    const { store, clock } = this.deps;
    const first = await store.getJob(jobId);
    if (!first || first.preflight?.status !== 'checking') return first;
    const evidence = await this.evidence(first, undefined);
    for (let attempt = 0; attempt < 5; attempt++) {
      const job = attempt === 0 ? first : await store.getJob(jobId);
      if (!job || job.preflight?.status !== 'checking') return job;
      const preflight: PreflightRecord = {
        ...job.preflight,
        status: 'done',
        checkedAt: clock.now().toISOString(),
        evidence,
      };
      const written = await store.update(jobId, { preflight, cardDirty: true }, job.version);
      if (written) return written;
    }
    return store.getJob(jobId);
  }

  /** At Approve: the checks again, and what they decide; a refusal stores the fresh evidence for the card. */
  async gate(job: Job, inputs: Record<string, unknown>, actor: Person): Promise<GateOutcome> {
    const { store, clock } = this.deps;
    const fresh = await this.evidence(job, this.deps.approvalBudgetMs ?? DEFAULT_APPROVAL_BUDGET_MS);
    const decision = judgeGate(job.preflight?.evidence, fresh, inputs);
    const now = clock.now().toISOString();
    const record: PreflightRecord = {
      status: 'done',
      startedAt: job.preflight?.startedAt ?? now,
      checkedAt: now,
      evidence: fresh,
    };
    if (!decision.ok) {
      const drift = decision.why === 'drift' ? decision.drift : undefined;
      const updated = await store.update(job.id, { preflight: { ...record, drift }, cardDirty: true });
      return { ok: false, job: updated ?? job, decision };
    }
    const detail = { evidence: evidenceSummary(fresh) };
    if (!decision.overridden) return { ok: true, patch: { preflight: record }, detail };
    const override: PreflightOverride = { by: actor, at: now, ...decision.overridden };
    return {
      ok: true,
      patch: { preflight: { ...record, override } },
      note: `failed checks overridden (${override.failed.join(', ')}): ${override.reason}`,
      detail: { ...detail, override: { reason: override.reason, failed: override.failed } },
    };
  }

  /**
   * Before a queued job's start: the same gate as Approve, on the evidence stored at Approve and the approver's
   * override (if any) as it was given; nothing is written here, the caller holds the job or starts it.
   */
  async recheck(job: Job): Promise<{ ok: true } | { ok: false; decision: Exclude<GateDecision, { ok: true }> }> {
    const override = job.preflight?.override;
    const inputs = override ? { [OVERRIDE_TOGGLE_ID]: true, [OVERRIDE_REASON_ID]: override.reason } : {};
    const fresh = await this.evidence(job, this.deps.approvalBudgetMs ?? DEFAULT_APPROVAL_BUDGET_MS);
    const decision = judgeGate(job.preflight?.evidence, fresh, inputs);
    return decision.ok ? { ok: true } : { ok: false, decision };
  }

  private async evidence(job: Job, budgetMs: number | undefined): Promise<CheckEvidence[]> {
    const read = this.deps.facts.factsAbout(job.fromEventId, job.toEventId);
    try {
      const facts = budgetMs === undefined ? await read : await withinBudget(read, budgetMs);
      if (facts) return judgePreflight(facts, { targetMadeByBot: Boolean(job.draftTarget) });
      return everyCheckUnknown(`Dataverse did not answer within ${Math.round(budgetMs! / 1000)} s`);
    } catch (err) {
      // the port never throws; a bug must still not block a migration or pass a check
      this.deps.logger.error({ jobId: job.id, err }, 'pre-flight checks failed on the bot side');
      return everyCheckUnknown('the checks failed on the bot side');
    }
  }
}

async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function everyCheckUnknown(why: string): CheckEvidence[] {
  const evidence = { outcome: 'could_not_check' as const, why };
  return [
    { check: 'target_blank_draft', evidence },
    { check: 'source_outbound', evidence },
    { check: 'no_reacting_journeys', evidence },
    { check: 'source_counts', evidence, counts: {} },
  ];
}

/** The evidence for the audit trail: outcome and what was found, per check (links and names are no secret). */
export function evidenceSummary(evidence: readonly CheckEvidence[]): Record<string, unknown> {
  return Object.fromEntries(
    evidence.map((e) => [
      e.check,
      e.evidence.outcome === 'failed'
        ? { outcome: 'failed', found: e.evidence.found }
        : e.evidence.outcome === 'passed'
          ? { outcome: 'passed', summary: e.evidence.summary }
          : { outcome: 'could_not_check', why: e.evidence.why },
    ]),
  );
}
