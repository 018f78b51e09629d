import { mayApprove } from '../../migration/approvalPolicy';
import {
  CHECKLIST,
  MIGRATED,
  NOT_MIGRATED,
  REPLACE_TOGGLE_ID,
  REPLACE_TOGGLE_TITLE,
  checklistTitle,
  isOn,
} from '../../migration/checklist';
import type { ChecklistItemId, Job } from '../../migration/types';
import {
  DRAFT_HEADING,
  DRAFT_MADE_HEADING,
  blockedHeadline,
  draftFacts,
  policyText,
  queueOnApprovalText,
} from '../../words/catalogue';
import { cardName } from '../../words/escape';
import { stateLabel, utcText } from '../../words/format';
import { base, bullets, idFacts, type Fact, type JobCard, type JobCardContext } from './common';
import { runFacts } from './forgetView';
import { evidenceData, evidenceForItem } from './evidenceView';

/** The confirmation card (cards/confirmation.json): the checklist, Approve and Cancel, or why not now. */

export function confirmationCard(job: Job, ctx: JobCardContext): JobCard {
  const inputs = ctx.inputs ?? {};
  const blocked = ctx.blockedBy;
  const data = {
    ...base(job, blocked ? 'warning' : 'accent'),
    facts: [...idFacts(job), { title: 'Expires', value: utcText(job.expiresAt) }],
    migratedText: bullets(MIGRATED),
    notMigratedText: bullets(NOT_MIGRATED),
    checklist: CHECKLIST.map((item) => ({
      id: item.id,
      title: item.title,
      value: String(isOn(inputs[item.id])),
      ...(job.preflight ? evidenceForItem(job, item.id) : {}),
    })),
    ...(job.preflight ? evidenceData(job, inputs) : {}),
    ...draftData(job),
    replaceToggleId: REPLACE_TOGGLE_ID,
    replaceToggleTitle: REPLACE_TOGGLE_TITLE,
    replaceToggleValue: String(isOn(inputs[REPLACE_TOGGLE_ID])),
    actionable: !blocked,
    ...approvalView(job, ctx, !blocked),
    showQueue: !blocked && (job.aheadInQueue ?? 0) > 0,
    queueText: !blocked && job.aheadInQueue ? queueOnApprovalText(job.aheadInQueue) : '',
    blocked: Boolean(blocked),
    blockedText: blocked ? blockedHeadline(blocked) : '',
    blockedFacts: blocked ? blockingFacts(blocked.job, ctx.now) : [],
    showRefusal: Boolean(ctx.refusal),
    refusalText: ctx.refusal ? refusalText(ctx.refusal) : '',
  };
  return { template: 'confirmation', data };
}

/** `migrate <id> new`: what the bot will create (or, on a retry, created already). */
function draftData(job: Job) {
  const made = job.draftTarget;
  return {
    showDraft: Boolean(made),
    draftHeading: made?.createdAt ? DRAFT_MADE_HEADING : DRAFT_HEADING,
    draftFacts: made ? draftFacts(made.spec) : [],
  };
}

/**
 * Teams shows one card to everyone; a `refresh` lists the users whose client asks the bot for a card of their own.
 * Under the four-eyes rule that is the requester, whose own view has no Approve: it could only be refused.
 */
function approvalView(job: Job, ctx: JobCardContext, actionable: boolean) {
  const fourEyes = Boolean(ctx.rules?.requireSecondApprover) && actionable;
  const decision = ctx.viewer && ctx.rules ? mayApprove(job, ctx.viewer, ctx.rules) : { ok: true as const };
  return {
    showRefresh: fourEyes,
    refreshUserIds: fourEyes ? [job.requestedBy.id] : [],
    canApprove: actionable && decision.ok,
    // a refusal already says why, in the same words
    showViewerNote: actionable && !decision.ok && !ctx.refusal,
    viewerNote: decision.ok ? '' : policyText(decision),
  };
}

/** The missing checklist items one a line, under the refusal's sentence. */
function refusalText(refusal: { message: string; missing?: ChecklistItemId[] }): string {
  const missing = (refusal.missing ?? []).map(checklistTitle);
  return missing.length === 0 ? refusal.message : `${refusal.message}\r${bullets(missing)}`;
}

function blockingFacts(other: Job, now: Date): Fact[] {
  const facts: Fact[] = [
    { title: 'Outbound event', value: other.fromEventId },
    { title: 'Real-time event', value: other.toEventId },
    { title: 'State', value: stateLabel(other.state) },
    { title: 'Requested by', value: `${cardName(other.requestedBy)}, ${utcText(other.requestedAt)}` },
  ];
  if (other.endedAt) facts.push({ title: 'Ended', value: utcText(other.endedAt) });
  if (other.state === 'running') facts.push(...runFacts(other, now));
  facts.push({ title: 'Job', value: other.id });
  return facts;
}
