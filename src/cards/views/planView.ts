import { isExpired, mayApprove, type ApprovalRules } from '../../migration/approvalPolicy';
import { CHECKLIST, isOn } from '../../migration/checklist';
import type { Plan, Job, Person } from '../../migration/types';
import { CHECK_NAMES, CHECKING_IN_DATAVERSE, aheadText, evidenceText } from '../../words/catalogue';
import { cardName, cardText } from '../../words/escape';
import { planExpiredText } from '../../words/planText';
import { countText, stateLabel, utcText } from '../../words/format';
import type { CardTemplateName, Fact } from './common';
import { overrideFields } from './evidenceView';

/**
 * The plan card (cards/plan.json): every pair (names where known), each pair's Dataverse checks in a line, one
 * checklist for all of them, one Approve and Cancel; after the decision, who decided and each pair's state.
 */

export interface PlanCardContext {
  now: Date;
  rules?: ApprovalRules;
  /** the one the card is drawn for (an invoke's answer): no Approve when they may not approve */
  viewer?: Person;
  inputs?: Record<string, unknown>;
  refusal?: string;
}

export function planCard(plan: Plan, jobs: readonly Job[], ctx: PlanCardContext) {
  const inputs = ctx.inputs ?? {};
  const first = jobs[0];
  const expired = hasExpired(plan, first, ctx.now);
  const actionable = plan.state === 'pending' && first?.state === 'pending_approval' && !expired;
  const decision = first && ctx.viewer && ctx.rules ? mayApprove(first, ctx.viewer, ctx.rules) : { ok: true };
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const data = {
    jobId: first?.id ?? plan.id,
    planId: plan.id,
    title: `Migration plan: ${plan.pairs.length} pairs, one after the other`,
    stateLabel: expired ? stateLabel('expired') : planStateLabel(plan, first),
    headerStyle: plan.state === 'cancelled' || expired ? 'default' : 'accent',
    facts: planFacts(plan, first, expired),
    pairs: plan.pairs.map((pair, i) => pairData(pair, i, byId.get(pair.jobId), plan.state !== 'pending' || expired)),
    actionable,
    canApprove: actionable && decision.ok,
    checklist: CHECKLIST.map((item) => ({ id: item.id, title: item.title, value: String(isOn(inputs[item.id])) })),
    showOverride: actionable && jobs.some(hasFailedCheck),
    ...overrideFields(inputs),
    showDecision: plan.state !== 'pending' || expired,
    decisionText: expired && first ? planExpiredText(first.expiresAt) : decisionText(plan),
    showRefusal: Boolean(ctx.refusal),
    refusalText: ctx.refusal ?? '',
    footer: `Plan ${plan.id}`,
  };
  return { template: 'plan' as CardTemplateName, data };
}

/** Not decided in time: the first pair's expiry is the plan's (every pair was asked for at once). */
function hasExpired(plan: Plan, first: Job | undefined, now: Date): boolean {
  if (plan.state !== 'pending' || !first) return false;
  return first.state === 'expired' || (first.state === 'pending_approval' && isExpired(first, now));
}

function planStateLabel(plan: Plan, first: Job | undefined): string {
  if (plan.state === 'approved') return 'Approved';
  if (plan.state === 'cancelled') return 'Cancelled';
  return first ? stateLabel(first.state) : 'Waiting for approval';
}

function planFacts(plan: Plan, first: Job | undefined, expired: boolean): Fact[] {
  const facts: Fact[] = [
    { title: 'Requested by', value: `${cardName(plan.requestedBy)}, ${utcText(plan.requestedAt)}` },
  ];
  if (first && plan.state === 'pending' && !expired) facts.push({ title: 'Expires', value: utcText(first.expiresAt) });
  const ahead = first?.aheadInQueue ?? 0;
  if (plan.state === 'pending' && !expired && ahead > 0) facts.push({ title: 'In line', value: aheadText(ahead) });
  return facts;
}

function decisionText(plan: Plan): string {
  const who = `${cardName(plan.decidedBy)}, ${utcText(plan.decidedAt)}`;
  if (plan.state === 'approved')
    return `Approved by ${who}. The pairs run one after the other in this order; each posts its own card when it starts, and one summary follows the last.`;
  if (plan.state === 'cancelled') return `Cancelled by ${who}. Nothing was started.`;
  return '';
}

function pairData(pair: Plan['pairs'][number], i: number, job: Job | undefined, decided: boolean) {
  const from = pair.fromName ? cardText(pair.fromName) : 'Outbound event';
  const to = pair.toName ? cardText(pair.toName) : 'Real-time event';
  const state = decided && job ? ` (${stateLabel(job.state)})` : '';
  const line = job ? evidenceLine(job) : undefined;
  return {
    heading: `${i + 1}. ${from} → ${to}${state}`,
    ids: `${pair.fromEventId} → ${pair.toEventId}`,
    showEvidence: Boolean(line),
    evidenceText: line?.text ?? '',
    evidenceColor: line?.color ?? 'Default',
  };
}

function hasFailedCheck(job: Job): boolean {
  return (job.preflight?.evidence ?? []).some((e) => e.evidence.outcome === 'failed');
}

/** The pair's Dataverse checks in one line: what failed or could not be checked, else passed with the counts. */
function evidenceLine(job: Job): { text: string; color: string } | undefined {
  const pre = job.preflight;
  if (!pre) return undefined;
  if (pre.status === 'checking' && !pre.evidence) return { text: CHECKING_IN_DATAVERSE, color: 'Default' };
  const evidence = pre.evidence ?? [];
  const failed = evidence.filter((e) => e.evidence.outcome === 'failed');
  const unsure = evidence.filter((e) => e.evidence.outcome === 'could_not_check');
  if (failed.length + unsure.length > 0) {
    const text = [...failed, ...unsure].map((e) => `${CHECK_NAMES[e.check]}: ${evidenceText(e.evidence)}`).join(' ');
    return { text, color: failed.length > 0 ? 'Attention' : 'Warning' };
  }
  const counts = evidence.find((e) => e.check === 'source_counts');
  const n = counts?.check === 'source_counts' ? counts.counts.registrations : undefined;
  const registrations = n === undefined ? '' : ` ${countText(n)} registrations to migrate.`;
  return { text: `Checked in Dataverse: every check passed.${registrations}`, color: 'Good' };
}
