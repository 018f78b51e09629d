import type { ApprovalRules } from '../../migration/approvalPolicy';
import type { EnvironmentMark } from '../../migration/environments';
import type { BlockedBy } from '../../migration/outcomes';
import type { ChecklistItemId, Job, JobState, Person } from '../../migration/types';
import { cardName } from '../../words/escape';
import { countText, durationText, processedText, stateLabel, utcText } from '../../words/format';
import { draftTargetFact, overrideText } from '../../words/catalogue';

/** What every job card binds, and the pieces several of them share. */

export type CardTemplateName =
  'confirmation' | 'progress' | 'review' | 'failure' | 'closed' | 'forget' | 'pickEvents' | 'picked';

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
  /** draw the confirmation to stop following the (running) job instead of its card */
  confirmForget?: boolean;
  /** with several environments: the job's, named on the card (and a production one marked at its top) */
  environment?: EnvironmentMark;
}

export interface Fact {
  title: string;
  value: string;
}

/** Adaptive Card container styles and text colours the templates bind to. */
export type HeaderStyle = 'emphasis' | 'accent' | 'good' | 'attention' | 'warning';

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

export function base(job: Job, headerStyle: HeaderStyle, state: JobState = job.state): CardBase {
  return {
    jobId: job.id,
    title: 'Event registration migration',
    stateLabel: stateLabel(state),
    headerStyle,
    facts: idFacts(job),
    footer: `Job ${job.id}${job.retryOf ? ` (retry of ${job.retryOf})` : ''}`,
  };
}

export function idFacts(job: Job): Fact[] {
  const facts: Fact[] = [
    { title: 'Outbound event', value: job.fromEventId },
    { title: 'Real-time event', value: draftTargetFact(job) },
    { title: 'Requested by', value: `${cardName(job.requestedBy)}, ${utcText(job.requestedAt)}` },
  ];
  if (job.approvedBy) {
    facts.push({ title: 'Approved by', value: `${cardName(job.approvedBy)}, ${utcText(job.approvedAt)}` });
  }
  const override = job.preflight?.override;
  if (override) facts.push({ title: 'Checks overridden', value: overrideText(override) });
  return facts;
}

export function bullets(items: readonly string[]): string {
  // Adaptive Card TextBlocks separate markdown list items with \r.
  return items.map((item) => `- ${item}`).join('\r');
}

export function numbered(items: readonly string[]): string {
  return items.map((item, i) => `${i + 1}. ${item}`).join('\r');
}

export function countFacts(job: Job): Fact[] {
  const p = job.progress;
  const facts: Fact[] = [{ title: 'Migrated', value: processedText(p) }];
  if (p.failed !== undefined) facts.push({ title: 'Failed', value: countText(p.failed) });
  if (job.startedAt) facts.push({ title: 'Started', value: utcText(job.startedAt) });
  if (job.endedAt) facts.push({ title: 'Ended', value: utcText(job.endedAt) });
  const took = Date.parse(job.endedAt ?? '') - Date.parse(job.startedAt ?? '');
  if (Number.isFinite(took) && took >= 0) facts.push({ title: 'Took', value: durationText(took) });
  return facts;
}
