import {
  AFTER_MIGRATION_STEPS,
  CHECKLIST,
  FAILURE_ADVICE,
  MIGRATED,
  NOT_MIGRATED,
  REPLACE_TOGGLE_ID,
  REPLACE_TOGGLE_TITLE,
  checklistTitle,
  isOn,
} from './checklist';
import {
  cardTime,
  countText,
  durationText,
  percentText,
  personName,
  processedText,
  remainingText,
  safeText,
  stateLabel,
  throughputText,
} from './format';
import { isExpired, mayApprove, type ApprovalRules } from './approvalPolicy';
import { percentOf } from './progress';
import type { ChecklistItemId, Job, JobState, Person } from './types';

/** What the job's card shows in each state: the template to use and the data to bind it with. */

export type CardTemplateName = 'confirmation' | 'progress' | 'review' | 'failure' | 'closed';

export type BlockedBy = { kind: 'active'; job: Job } | { kind: 'already_migrated'; job: Job };

export interface JobCardContext {
  now: Date;
  /** the toggles' values from the last click, so a re-rendered card keeps what was ticked */
  inputs?: Record<string, unknown>;
  refusal?: { message: string; missing?: ChecklistItemId[] };
  blockedBy?: BlockedBy;
  /** who made the change the card reports, when the caller knows it (for example who cancelled) */
  actor?: Person;
  /** the approval rules: under the four-eyes rule the requester gets a view of their own without Approve */
  rules?: ApprovalRules;
  /** the one person this card is drawn for (an invoke's answer or a refresh); absent for the shared card */
  viewer?: Person;
}

export interface Fact {
  title: string;
  value: string;
}

/** Adaptive Card container styles and text colours the templates bind to. */
type HeaderStyle = 'emphasis' | 'accent' | 'good' | 'attention' | 'warning';

/** Bound by every template. */
export interface CardBase {
  jobId: string;
  title: string;
  stateLabel: string;
  headerStyle: HeaderStyle;
  facts: Fact[];
  footer: string;
}

export interface JobCard {
  template: CardTemplateName;
  data: CardBase & Record<string, unknown>;
}

/** A failure card lists at most this many of the service's errors; the rest are counted. */
export const MAX_ERRORS_SHOWN = 20;
const MAX_ERROR_CHARS = 300;
const BAR_SEGMENTS = 20;

export function jobCard(job: Job, ctx: JobCardContext): JobCard {
  const card = cardForState(job, ctx);
  // The confirmation shows a refusal beside its checklist; every other card says it in a notice at the top.
  if (card.template === 'confirmation') return card;
  return { ...card, data: { ...card.data, showNotice: Boolean(ctx.refusal), noticeText: ctx.refusal?.message ?? '' } };
}

function cardForState(job: Job, ctx: JobCardContext): JobCard {
  switch (job.state) {
    case 'pending_approval':
      return isExpired(job, ctx.now) ? closedCard(job, ctx, 'expired') : confirmationCard(job, ctx);
    case 'approved':
    case 'starting':
    case 'running':
      return progressCard(job, ctx);
    case 'completed':
      return reviewCard(job);
    case 'completed_with_errors':
    case 'failed':
    case 'start_failed':
      return failureCard(job);
    case 'cancelled':
    case 'expired':
    case 'superseded':
    case 'stopped':
      return closedCard(job, ctx, job.state);
  }
}

function base(job: Job, headerStyle: HeaderStyle, state: JobState = job.state): CardBase {
  return {
    jobId: job.id,
    title: 'Event registration migration',
    stateLabel: stateLabel(state),
    headerStyle,
    facts: idFacts(job),
    footer: `Job ${job.id}${job.retryOf ? ` (retry of ${job.retryOf})` : ''}`,
  };
}

function idFacts(job: Job): Fact[] {
  const facts: Fact[] = [
    { title: 'Outbound event', value: job.fromEventId },
    { title: 'Real-time event', value: job.toEventId },
    { title: 'Requested by', value: `${personName(job.requestedBy)}, ${cardTime(job.requestedAt)}` },
  ];
  if (job.approvedBy) {
    facts.push({ title: 'Approved by', value: `${personName(job.approvedBy)}, ${cardTime(job.approvedAt)}` });
  }
  return facts;
}

function bullets(items: readonly string[]): string {
  // Adaptive Card TextBlocks separate markdown list items with \r.
  return items.map((item) => `- ${item}`).join('\r');
}

function numbered(items: readonly string[]): string {
  return items.map((item, i) => `${i + 1}. ${item}`).join('\r');
}

// ---------------------------------------------------------------- confirmation

function confirmationCard(job: Job, ctx: JobCardContext): JobCard {
  const inputs = ctx.inputs ?? {};
  const blocked = ctx.blockedBy;
  const data = {
    ...base(job, blocked ? 'warning' : 'accent'),
    facts: [...idFacts(job), { title: 'Expires', value: cardTime(job.expiresAt) }],
    migratedText: bullets(MIGRATED),
    notMigratedText: bullets(NOT_MIGRATED),
    checklist: CHECKLIST.map((item) => ({ id: item.id, title: item.title, value: String(isOn(inputs[item.id])) })),
    replaceToggleId: REPLACE_TOGGLE_ID,
    replaceToggleTitle: REPLACE_TOGGLE_TITLE,
    replaceToggleValue: String(isOn(inputs[REPLACE_TOGGLE_ID])),
    actionable: !blocked,
    ...approvalView(job, ctx, !blocked),
    blocked: Boolean(blocked),
    blockedText: blocked ? blockedHeadline(blocked) : '',
    blockedFacts: blocked ? blockingFacts(blocked.job) : [],
    showRefusal: Boolean(ctx.refusal),
    refusalText: ctx.refusal ? refusalText(ctx.refusal) : '',
  };
  return { template: 'confirmation', data };
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
    viewerNote: decision.ok ? '' : decision.message,
  };
}

function refusalText(refusal: { message: string; missing?: ChecklistItemId[] }): string {
  const missing = (refusal.missing ?? []).map(checklistTitle);
  // The caller's message may already name them; say each item once.
  if (missing.length === 0 || missing.every((title) => refusal.message.includes(title))) return refusal.message;
  return `${refusal.message}\r\rStill to confirm:\r${bullets(missing)}`;
}

function blockedHeadline(blocked: BlockedBy): string {
  return blocked.kind === 'active'
    ? 'This migration cannot be approved now: another migration is running in this environment. Only one event can be migrated at a time.'
    : 'This migration cannot be approved: this outbound event has already been migrated successfully.';
}

function blockingFacts(other: Job): Fact[] {
  const facts: Fact[] = [
    { title: 'Outbound event', value: other.fromEventId },
    { title: 'Real-time event', value: other.toEventId },
    { title: 'State', value: stateLabel(other.state) },
    { title: 'Requested by', value: `${personName(other.requestedBy)}, ${cardTime(other.requestedAt)}` },
  ];
  if (other.endedAt) facts.push({ title: 'Ended', value: cardTime(other.endedAt) });
  facts.push({ title: 'Job', value: other.id });
  return facts;
}

// ---------------------------------------------------------------- progress

function progressCard(job: Job, ctx: JobCardContext): JobCard {
  const p = job.progress;
  const percent = percentOf(p);
  const data = {
    ...base(job, 'accent'),
    note: progressNote(job),
    progressFacts: progressFacts(job, ctx.now),
    showBar: percent !== undefined,
    barText: percent === undefined ? '' : progressBar(percent),
    showWarning: warningText(job) !== '',
    warningText: warningText(job),
    showRaw: p.serviceState === 'unknown' && Boolean(p.rawSummary),
    rawText: p.rawSummary ? safeText(p.rawSummary, 400) : '',
  };
  return { template: 'progress', data };
}

function progressNote(job: Job): string {
  const approved = `Approved by ${personName(job.approvedBy)} ${cardTime(job.approvedAt)}.`;
  if (job.state === 'approved') return `${approved} The migration starts in a moment.`;
  if (job.state === 'starting') return `${approved} Asking the service to start the migration…`;
  return 'The service is migrating the registrations (about 8 hours for 4,000). This card updates itself.';
}

function progressFacts(job: Job, now: Date): Fact[] {
  const p = job.progress;
  const facts: Fact[] = [];
  if (p.rawState ?? p.serviceState)
    facts.push({ title: 'Service says', value: safeText(p.rawState ?? p.serviceState ?? '', 60) });
  facts.push({ title: 'Migrated', value: processedText(p) });
  if (p.failed !== undefined) facts.push({ title: 'Failed', value: countText(p.failed) });
  const speed = throughputText(p.throughput);
  if (speed) facts.push({ title: 'Speed', value: speed });
  const left = remainingText(p.eta, now);
  if (left) facts.push({ title: 'Time left', value: `${left} (ends around ${cardTime(p.eta)})` });
  if (job.startedAt) facts.push({ title: 'Started', value: cardTime(job.startedAt) });
  facts.push({ title: 'Last checked', value: p.lastCheckedAt ? cardTime(p.lastCheckedAt) : 'not yet' });
  return facts;
}

function progressBar(percent: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * BAR_SEGMENTS);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_SEGMENTS - filled)}  ${percentText({ percent }) ?? ''}`;
}

function warningText(job: Job): string {
  if (job.tracking.lostContactWarned) {
    return `The bot cannot reach the Events API since ${cardTime(job.tracking.firstErrorAt)} and keeps trying. The migration goes on on the service.`;
  }
  if (job.tracking.stallWarned) {
    return `No progress since ${cardTime(job.progress.lastProgressAt ?? job.startedAt)}. The bot keeps checking.`;
  }
  return '';
}

// ---------------------------------------------------------------- the end

function countFacts(job: Job): Fact[] {
  const p = job.progress;
  const facts: Fact[] = [{ title: 'Migrated', value: processedText(p) }];
  if (p.failed !== undefined) facts.push({ title: 'Failed', value: countText(p.failed) });
  if (job.startedAt) facts.push({ title: 'Started', value: cardTime(job.startedAt) });
  if (job.endedAt) facts.push({ title: 'Ended', value: cardTime(job.endedAt) });
  const took = Date.parse(job.endedAt ?? '') - Date.parse(job.startedAt ?? '');
  if (Number.isFinite(took) && took >= 0) facts.push({ title: 'Took', value: durationText(took) });
  return facts;
}

function reviewCard(job: Job): JobCard {
  const someFailed = (job.progress.failed ?? 0) > 0;
  const data = {
    ...base(job, 'good'),
    summary: `All done: the registrations of the outbound event are now in the real-time event. A few steps are left to do by hand.`,
    countFacts: countFacts(job),
    stepsText: numbered(AFTER_MIGRATION_STEPS),
    showAdvice: someFailed,
    adviceText: bullets(FAILURE_ADVICE.slice(1)),
  };
  return { template: 'review', data };
}

const FAILURE_WORDS: Partial<Record<JobState, string>> = {
  completed_with_errors: 'The migration finished, but some registrations were not migrated.',
  failed: 'The migration failed on the service.',
  start_failed: 'The migration could not be started. Nothing was migrated.',
};

function failureCard(job: Job): JobCard {
  const all = (job.progress.errors ?? []).map((e) => safeText(e, MAX_ERROR_CHARS)).filter((e) => e !== '');
  const shown = all.slice(0, MAX_ERRORS_SHOWN);
  const startFailed = job.state === 'start_failed';
  const data = {
    ...base(job, job.state === 'completed_with_errors' ? 'warning' : 'attention'),
    whatFailed: FAILURE_WORDS[job.state] ?? 'The migration did not finish.',
    showReason: Boolean(job.lastError),
    reasonText: job.lastError ? safeText(job.lastError) : '',
    showCounts: !startFailed,
    countFacts: startFailed ? [] : countFacts(job),
    showErrors: shown.length > 0,
    errors: shown.map((text) => ({ text })),
    errorsTotal: all.length,
    errorsNote: errorsNote(shown.length, all.length),
    showErrorsNote: shown.length < all.length,
    adviceText: startFailed
      ? bullets([
          'Fix the cause above (the endpoint, the token, or a migration still running), then use Retry.',
          'Retry asks for a new approval.',
        ])
      : bullets(FAILURE_ADVICE),
  };
  return { template: 'failure', data };
}

export function errorsNote(shown: number, total: number): string {
  return `Showing ${countText(shown)} of ${countText(total)} errors.`;
}

function closedCard(job: Job, ctx: JobCardContext, state: 'cancelled' | 'expired' | 'superseded' | 'stopped'): JobCard {
  const ended = job.endedAt ?? job.updatedAt;
  const canceller = job.endedBy ?? ctx.actor;
  const sentence: Record<typeof state, string> = {
    cancelled: `Cancelled${canceller ? ` by ${personName(canceller)}` : ''} ${cardTime(ended)}. Nothing was started.`,
    expired: `Nobody approved this request before it expired (${cardTime(job.expiresAt)}). Nothing was started; send the migrate command again to start over.`,
    superseded: `Another migration replaced this one on the service ${cardTime(ended)}: someone used "replace a running migration", or started one outside the bot. Registrations migrated before that stay in the real-time event; check them before running again.`,
    stopped: `The migration was stopped on the service before it finished (${cardTime(ended)}). Registrations migrated so far stay in the real-time event; check them before running again.`,
  };
  const showCounts = state === 'superseded' || state === 'stopped';
  const data = {
    ...base(job, showCounts ? 'warning' : 'emphasis', state),
    sentence: sentence[state],
    showDetail: Boolean(job.lastError) && showCounts,
    detailText: job.lastError ? safeText(job.lastError) : '',
    showCounts,
    countFacts: showCounts ? countFacts(job) : [],
  };
  return { template: 'closed', data };
}
