import { COMMANDS } from '../migration/commandCatalog';
import {
  countText,
  personName,
  migratedText,
  processedText,
  remainingText,
  safeText,
  stateLabel,
  utcText,
} from './format';
import type { PolicyDecision } from '../migration/approvalPolicy';
import { checklistTitle } from '../migration/checklist';
import type { Command } from '../migration/commandParser';
import { shortId } from '../migration/ids';
import type { BlockedBy, Refusal, Unchanged } from '../migration/outcomes';
import type { Job, JobState, Notice, Person } from '../migration/types';

/**
 * Every sentence the bot says, in chat (Teams markdown) and on its cards: one catalogue, so the same thing is
 * said once and in the same words. The domain hands over kinds and values; they are worded here, when delivered.
 * Plain texts cannot localise times, so they say UTC.
 */

export interface MentioningText {
  text: string;
  /** each appears in `text` as `<at>name</at>` */
  mentions: Person[];
}

export { checkReport, checkSummary } from './checkText';

export const NO_MIGRATION_YET = 'No migration yet in this environment.';
export const HISTORY_LIMIT = 10;

const lines = (...parts: Array<string | undefined | false>): string => parts.filter(Boolean).join('\n\n');
const list = (items: Array<string | undefined | false>): string =>
  items
    .filter(Boolean)
    .map((item) => `- ${item}`)
    .join('\n');

function pair(job: Job, short = false): string {
  const id = short ? shortId : (s: string) => s;
  return `\`${id(job.fromEventId)}\` → \`${id(job.toEventId)}\``;
}

// ---------------------------------------------------------------- answers to commands

export function help(unknownWord?: string): string {
  const commands = COMMANDS.map((c) => `- \`${c.usage}\`: ${c.description} Example: \`${c.example}\``);
  return lines(
    unknownWord !== undefined &&
      unknownWord !== '' &&
      `I do not know \`${safeText(unknownWord, 40)}\`. These are the commands I answer:`,
    '**Event migration bot**: moves the registrations of an outbound-marketing event into a new real-time event, one event at a time, after a checklist and an approval.',
    commands.join('\n'),
    'In a channel, @mention me before the command.',
  );
}

export function status(job: Job | undefined, now: Date): string {
  if (!job) return NO_MIGRATION_YET;
  const p = job.progress;
  const left = job.state === 'running' ? remainingText(p.eta, now) : undefined;
  return lines(
    `**Migration ${pair(job)}: ${stateLabel(job.state)}**`,
    list([
      `Migrated: ${processedText(p)}${p.failed !== undefined ? `, ${countText(p.failed)} failed` : ''}`,
      left && `Time left: ${left} (ends around ${utcText(p.eta)})`,
      `Requested by ${personName(job.requestedBy)}, ${utcText(job.requestedAt)}`,
      job.approvedBy ? `Approved by ${personName(job.approvedBy)}, ${utcText(job.approvedAt)}` : 'Not approved',
      job.state === 'pending_approval' && `Waiting for approval until ${utcText(job.expiresAt)}`,
      job.startedAt && `Started ${utcText(job.startedAt)}`,
      job.endedAt && `Ended ${utcText(job.endedAt)}`,
      p.lastCheckedAt && `Last checked ${utcText(p.lastCheckedAt)}`,
      job.lastError && job.state !== 'completed' && `Last error: ${safeText(job.lastError, 300)}`,
    ]),
  );
}

/** History shows absolute times only. */
export function history(jobs: readonly Job[]): string {
  if (jobs.length === 0) return NO_MIGRATION_YET;
  const newestFirst = [...jobs]
    .sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt))
    .slice(0, HISTORY_LIMIT);
  const rows = newestFirst.map((job, i) => {
    const approved = job.approvedBy ? `, approved by ${personName(job.approvedBy)} ${utcText(job.approvedAt)}` : '';
    const ended = job.endedAt ? `, ended ${utcText(job.endedAt)}` : '';
    return `${i + 1}. ${pair(job, true)} **${stateLabel(job.state)}**: requested by ${personName(job.requestedBy)} ${utcText(job.requestedAt)}${approved}${ended}`;
  });
  return lines(
    `**Last ${newestFirst.length === 1 ? 'migration' : `${newestFirst.length} migrations`}** (newest first)`,
    rows.join('\n'),
  );
}

const ANOTHER_RUNNING = 'This migration cannot be approved now: another migration is running in this environment';
const ONE_AT_A_TIME = 'Only one event can be migrated at a time';
const ALREADY_MIGRATED = 'This migration cannot be approved: ';

/** In chat, with the other job's ids and people. */
export function blockedText(blockedBy: BlockedBy): string {
  const other = blockedBy.job;
  const who = `requested by ${personName(other.requestedBy)} ${utcText(other.requestedAt)}`;
  if (blockedBy.kind === 'active') {
    return `${ANOTHER_RUNNING} (${pair(other)}, ${stateLabel(other.state)}, ${who}). ${ONE_AT_A_TIME}; try again when it has ended.`;
  }
  return `${ALREADY_MIGRATED}the outbound event \`${other.fromEventId}\` has already been migrated successfully into \`${other.toEventId}\` (${who}, ended ${utcText(other.endedAt)}).`;
}

/** On the card, above the other job's facts. */
export function blockedHeadline(blockedBy: BlockedBy): string {
  return blockedBy.kind === 'active'
    ? `${ANOTHER_RUNNING}. ${ONE_AT_A_TIME}.`
    : `${ALREADY_MIGRATED}this outbound event has already been migrated successfully.`;
}

const USAGE = 'Usage: `migrate <outbound-event-id> <real-time-event-id>`';

/** Bad input, naming the bad value; for `migrate` with the usage line. */
export function invalidText(command: Extract<Command, { kind: 'invalid' }>): string {
  const p = command.problem;
  switch (p.kind) {
    case 'no_arguments_taken':
      return `\`${command.command}\` takes no arguments (got "${p.got}").`;
    case 'no_ids':
      return `Both event ids are missing. ${USAGE}`;
    case 'no_target':
      return `The real-time event id is missing. ${USAGE}`;
    case 'too_many':
      return `Too many words: expected two ids, got ${p.count} ("${p.extra}" is extra). ${USAGE}`;
    case 'not_a_guid':
      return `The ${p.which} event id "${p.value}" is not a GUID. ${USAGE}`;
    case 'invisible_character':
      return `The ${p.which} event id "${p.value}" holds an invisible character (such as a zero-width space): type the id again, or paste it without it. ${USAGE}`;
    case 'same_id':
      return `The same id was given twice (${p.id}): the outbound and the real-time event are different events. ${USAGE}`;
  }
}

// ---------------------------------------------------------------- answers to card actions

const UNKNOWN_JOB = 'This card refers to a migration the bot does not know.';

/** `again`: the user can do something about it (an action), rather than only look (a refresh). */
export function unknownJob(again = true): string {
  return again ? `${UNKNOWN_JOB} Type the migrate command again.` : UNKNOWN_JOB;
}

export const CHECKLIST_INCOMPLETE = 'Tick every item of the checklist before approving. Missing:';

/** Why an action was refused, as the card's notice says it. The missing checklist items are listed by the card. */
export function refusalText(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'policy':
      return policyText(refusal.decision);
    case 'checklist':
      return CHECKLIST_INCOMPLETE;
    case 'busy': {
      const a = refusal.active;
      return `Another migration is already active in this environment (${a.fromEventId} -> ${a.toEventId}, ${a.state}, asked by ${a.requestedBy.name}). Wait for it to end.`;
    }
  }
}

/** Why a person may not approve or cancel, addressed to them. */
export function policyText(decision: Extract<PolicyDecision, { ok: false }>): string {
  const name = decision.person.name;
  switch (decision.reason) {
    case 'not_an_approver':
      return `${name}, you are not in the approver list (APPROVER_IDS) for migrations. Ask one of the approvers to approve.`;
    case 'own_request':
      return `${name}, a second person must approve this migration: requesters cannot approve their own request.`;
    case 'not_requester_or_approver':
      return `${name}, only the requester or an approver can cancel this request.`;
  }
}

export function missingItems(refusal: Refusal): string[] {
  return refusal.kind === 'checklist' ? refusal.missing.map(checklistTitle) : [];
}

export function unchangedText(outcome: Unchanged): string {
  if (outcome.why === 'expired') return 'This request has expired. Type the migrate command again to make a new one.';
  return `This migration is ${stateInWords(outcome.job.state)}; nothing was changed.`;
}

export const RETRY_POSTED =
  'A new confirmation card was posted for the same events: tick its checklist and approve it there.';

export const OLD_CLIENT = 'This card needs a newer Teams client: its buttons use Universal Actions.';
export const TENANT_NOT_ALLOWED = 'This bot does not serve your organisation.';

export function unknownAction(verb: string): string {
  return `This card action ("${verb.slice(0, 40)}") is not known to the bot.`;
}

/** The apology for a turn that failed on the bot's side: what failed, and the reference of the log line. */
/** After a failed turn; `store` says why when the bot's database was the cause. */
export function turnFailed(reference: string, store?: 'busy' | 'failed'): string {
  if (store === 'busy')
    return `The bot's database is busy right now, so nothing was done (reference ${reference}). Please try again in a minute.`;
  if (store === 'failed')
    return `The bot cannot save anything right now, so nothing was started (reference ${reference}). Please try again later; if it keeps happening, tell the bot's operator.`;
  return `Sorry, something went wrong on my side (reference ${reference}). Nothing was started; please try again.`;
}

// ---------------------------------------------------------------- the state inside a sentence

/** "This migration is …". */
const STATE_WORDS: Readonly<Record<JobState, string>> = {
  pending_approval: 'waiting for approval',
  approved: 'approved and about to start',
  starting: 'starting',
  running: 'running',
  completed: 'completed',
  completed_with_errors: 'completed with errors',
  failed: 'failed',
  stopped: 'stopped',
  superseded: 'replaced by another migration',
  cancelled: 'cancelled',
  expired: 'expired',
  start_failed: 'could not start',
};

export function stateInWords(state: JobState): string {
  return STATE_WORDS[state];
}

// ---------------------------------------------------------------- notices while a job runs

/** A stored notice in words, with the people it mentions, drawn on the job as it was when the notice was made. */
export function noticeText(job: Job, notice: Notice): MentioningText {
  const plain = (text: string): MentioningText => ({ text, mentions: [] });
  // A notice stored by an earlier version carries its finished text instead of values: deliver it as it was.
  const earlier = notice as Partial<MentioningText>;
  if (typeof earlier.text === 'string') return { text: earlier.text, mentions: earlier.mentions ?? [] };
  switch (notice.kind) {
    case 'milestone':
      return plain(milestone({ ...job, progress: notice.progress }, notice.percent));
    case 'stall':
      return plain(stall({ ...job, progress: notice.progress }, notice.minutes));
    case 'lost_contact':
      return plain(lostContact({ ...job, lastError: notice.lastError }, notice.since));
    case 'back_in_contact':
      return plain(backInContact({ ...job, state: notice.state, progress: notice.progress }));
    case 'start_result':
      return plain(startResult({ ...job, state: 'start_failed', lastError: notice.lastError }));
    case 'completed_alert':
      return completedAlert({ ...job, state: 'completed', progress: notice.progress });
    case 'ended_alert':
      return endedAlert({ ...job, state: notice.state, progress: notice.progress, lastError: notice.lastError });
  }
}

export function milestone(job: Job, percent: number): string {
  const left = remainingText(job.progress.eta, new Date(job.progress.lastCheckedAt ?? job.updatedAt));
  const p = job.progress;
  const counts =
    p.processed !== undefined && p.total !== undefined
      ? `: ${countText(p.processed)} of ${countText(p.total)} registrations migrated`
      : '';
  return `${percent} % done${counts}${left ? `; ${left} left` : ''}.`;
}

export function stall(job: Job, minutes: number): string {
  return `No progress for ${minutes} minutes: still ${migratedText(job.progress)}. The migration may be slow or stuck on the service; the bot keeps checking.`;
}

export function lostContact(job: Job, since: Date | string): string {
  return `Lost contact with the Events API since ${utcText(since)}. The migration ${pair(job, true)} goes on on the service; the bot keeps trying and will say when it can see it again.${job.lastError ? ` Last error: ${safeText(job.lastError, 200)}` : ''}`;
}

export function backInContact(job: Job): string {
  return `Back in contact with the Events API: ${migratedText(job.progress)}, ${stateLabel(job.state).toLowerCase()}.`;
}

export function startResult(job: Job): string {
  if (job.state === 'start_failed') {
    return `Could not start the migration ${pair(job)}: ${safeText(job.lastError ?? 'no reason given', 300)} Fix the cause, then use Retry on the card.`;
  }
  return `Migration ${pair(job)} started, approved by ${personName(job.approvedBy)}. This can take hours (about 8 for 4,000 registrations); the card shows the progress.`;
}

function peopleOf(job: Job): Person[] {
  const people = [job.requestedBy];
  if (job.approvedBy && job.approvedBy.id !== job.requestedBy.id) people.push(job.approvedBy);
  return people;
}

const at = (p: Person): string => `<at>${personName(p)}</at>`;

export function completedAlert(job: Job): MentioningText {
  const mentions = peopleOf(job);
  const failed = job.progress.failed ? `, ${countText(job.progress.failed)} failed` : '';
  const text = `${mentions.map(at).join(' ')} the migration ${pair(job)} is complete: ${migratedText(job.progress)}${failed}. Next: open the real-time event, review it, recreate the waitlist, send the new Teams link and publish it; the card lists every step.`;
  return { text, mentions };
}

const ENDED_WORDS: Partial<Record<Job['state'], string>> = {
  failed: 'failed',
  completed_with_errors: 'finished with errors',
  superseded: 'was replaced by another migration on the service',
  stopped: 'was stopped on the service',
};

export function endedAlert(job: Job): MentioningText {
  const mentions = peopleOf(job);
  const what = ENDED_WORDS[job.state] ?? `ended (${stateLabel(job.state)})`;
  const reason = job.lastError ? ` ${safeText(job.lastError, 300)}` : '';
  const next =
    job.state === 'failed' || job.state === 'completed_with_errors'
      ? ' See the card for the errors and what to do; Retry runs it again after a new approval.'
      : ' Check the real-time event before running it again.';
  const text = `${mentions.map(at).join(' ')} the migration ${pair(job)} ${what}: ${migratedText(job.progress)}.${reason}${next}`;
  return { text, mentions };
}

// ---------------------------------------------------------------- on the cards

export function progressNote(job: Job): string {
  const approved = `Approved by ${personName(job.approvedBy)} ${utcText(job.approvedAt)}.`;
  if (job.state === 'approved') return `${approved} The migration starts in a moment.`;
  if (job.state === 'starting') return `${approved} Asking the service to start the migration…`;
  return 'The service is migrating the registrations (about 8 hours for 4,000). This card updates itself.';
}

export function warningText(job: Job): string {
  if (job.tracking.lostContactWarned) {
    return `The bot cannot reach the Events API since ${utcText(job.tracking.firstErrorAt)} and keeps trying. The migration goes on on the service.`;
  }
  if (job.tracking.stallWarned) {
    return `No progress since ${utcText(job.progress.lastProgressAt ?? job.startedAt)}. The bot keeps checking.`;
  }
  return '';
}

export const REVIEW_SUMMARY =
  'All done: the registrations of the outbound event are now in the real-time event. A few steps are left to do by hand.';

const FAILURE_WORDS: Partial<Record<JobState, string>> = {
  completed_with_errors: 'The migration finished, but some registrations were not migrated.',
  failed: 'The migration failed on the service.',
  start_failed: 'The migration could not be started. Nothing was migrated.',
};

export function whatFailed(state: JobState): string {
  return FAILURE_WORDS[state] ?? 'The migration did not finish.';
}

export const START_FAILED_ADVICE: readonly string[] = [
  'Fix the cause above (the endpoint, the token, or a migration still running), then use Retry.',
  'Retry asks for a new approval.',
];

export function errorsNote(shown: number, total: number): string {
  return `Showing ${countText(shown)} of ${countText(total)} errors.`;
}

export type ClosedState = 'cancelled' | 'expired' | 'superseded' | 'stopped';

export function closedSentence(job: Job, state: ClosedState, canceller: Person | undefined): string {
  const ended = job.endedAt ?? job.updatedAt;
  switch (state) {
    case 'cancelled':
      return `Cancelled${canceller ? ` by ${personName(canceller)}` : ''} ${utcText(ended)}. Nothing was started.`;
    case 'expired':
      return `Nobody approved this request before it expired (${utcText(job.expiresAt)}). Nothing was started; send the migrate command again to start over.`;
    case 'superseded':
      return `Another migration replaced this one on the service ${utcText(ended)}: someone used "replace a running migration", or started one outside the bot. Registrations migrated before that stay in the real-time event; check them before running again.`;
    case 'stopped':
      return `The migration was stopped on the service before it finished (${utcText(ended)}). Registrations migrated so far stay in the real-time event; check them before running again.`;
  }
}
