import { COMMANDS } from '../migration/commandCatalog';
import {
  countText,
  durationText,
  migratedText,
  processedText,
  remainingText,
  safeText,
  stateLabel,
  utcText,
} from './format';
import { cardName, cardText, chatName, chatText, codeSpan, mentionTag } from './escape';
import type { PolicyDecision } from '../migration/approvalPolicy';
import { checklistTitle } from '../migration/checklist';
import type { Command, PlanLineProblem } from '../migration/commandParser';
import { planSummaryText } from './planText';
import type { DraftEventSpec, DraftRefusal } from '../migration/draftTarget';
import { shortId } from '../migration/ids';
import type { BlockedBy, Refusal, Unchanged } from '../migration/outcomes';
import type { GateDecision } from '../migration/preflightGate';
import type { Evidence, PreflightCheckId } from '../migration/preflightEvidence';
import { FEW_MISSING, type ReconciliationRecord } from '../migration/reconciliation';
import type { QueueSchedule } from '../migration/queueSchedule';
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
      `I do not know \`${codeSpan(safeText(unknownWord, 40))}\`. These are the commands I answer:`,
    '**Event migration bot**: moves the registrations of an outbound-marketing event into a new real-time event, one event at a time, after a checklist and an approval.',
    commands.join('\n'),
    'With Dataverse configured, `migrate` alone offers both events to pick from lists, `migrate "<outbound event name>" "<real-time event name>"` finds them by name, and `migrate <outbound-event-id> new` has the bot make the blank real-time draft after approval.',
    'Several migrations at once: `migrate` on the first line, then one pair per line (ids, or quoted names). One card, one approval; they run one after another, and one summary comes when the last ends.',
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
      `Requested by ${chatName(job.requestedBy)}, ${utcText(job.requestedAt)}`,
      job.approvedBy ? `Approved by ${chatName(job.approvedBy)}, ${utcText(job.approvedAt)}` : 'Not approved',
      job.state === 'pending_approval' && `Waiting for approval until ${utcText(job.expiresAt)}`,
      job.startedAt && `Started ${utcText(job.startedAt)}`,
      job.endedAt && `Ended ${utcText(job.endedAt)}`,
      p.lastCheckedAt && `Last checked ${utcText(p.lastCheckedAt)}`,
      `Job id: \`${job.id}\``,
      job.lastError && job.state !== 'completed' && `Last error: ${chatText(safeText(job.lastError, 300))}`,
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
    const approved = job.approvedBy ? `, approved by ${chatName(job.approvedBy)} ${utcText(job.approvedAt)}` : '';
    const ended = job.endedAt ? `, ended ${utcText(job.endedAt)}` : '';
    return `${i + 1}. ${pair(job, true)} **${stateLabel(job.state)}**: requested by ${chatName(job.requestedBy)} ${utcText(job.requestedAt)}${approved}${ended}`;
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
export function blockedText(blockedBy: BlockedBy, now: Date): string {
  const other = blockedBy.job;
  const who = `requested by ${chatName(other.requestedBy)} ${utcText(other.requestedAt)}`;
  if (blockedBy.kind === 'active') {
    return `${ANOTHER_RUNNING} (${pair(other)}, ${stateLabel(other.state)}, ${who}, job \`${other.id}\`): ${activeSince(other, now)}. ${ONE_AT_A_TIME}; try again when it has ended. ${forgetHint(other)}`;
  }
  return `${ALREADY_MIGRATED}the outbound event \`${other.fromEventId}\` has already been migrated successfully into \`${other.toEventId}\` (job ${other.id}, ${who}, ended ${utcText(other.endedAt)}).`;
}

/** How long the job in the way has run, and when the service last reported it. */
function activeSince(job: Job, now: Date): string {
  if (job.state !== 'running') return `${stateInWords(job.state)}`;
  const reported = job.progress.lastReportedAt
    ? `the service last reported it ${utcText(job.progress.lastReportedAt)}`
    : 'the service has not reported it since the bot started following it';
  return `running for ${runningForText(job, now)}; ${reported}`;
}

/** On the card, above the other job's facts. */
export function blockedHeadline(blockedBy: BlockedBy): string {
  return blockedBy.kind === 'active'
    ? `${ANOTHER_RUNNING}. ${ONE_AT_A_TIME}. ${forgetHint(blockedBy.job)}`
    : `${ALREADY_MIGRATED}this outbound event has already been migrated successfully.`;
}

const USAGE = 'Usage: `migrate <outbound-event-id> <real-time-event-id>` (or `new`: the bot makes the draft)';
const NAMES_USAGE =
  'Usage: `migrate "<outbound event name>" "<real-time event name>"` (a GUID works for either side), or `migrate` alone to pick both from lists';
const FORGET_USAGE =
  "Usage: `forget <job id>`, with the job id shown at the foot of the migration's card and by `status`.";

/** Bad input, naming the bad value; for `migrate` with the usage line. */
export function invalidText(command: Extract<Command, { kind: 'invalid' }>): string {
  const p = command.problem;
  switch (p.kind) {
    case 'plan_line':
      return `Line ${p.line} of the plan: ${planLineText(command, p.problem)} Nothing was stored. ${PLAN_USAGE}`;
    case 'plan_too_long':
      return `A plan holds at most ${p.max} pairs (got ${p.count}): send it as several plans. ${PLAN_USAGE}`;
    case 'no_arguments_taken':
      return `\`${command.command}\` takes no arguments (got "${chatText(p.got)}").`;
    case 'no_ids':
      return `Both event ids are missing. ${USAGE}`;
    case 'no_target':
      return `The real-time event id is missing. ${USAGE}`;
    case 'too_many':
      return command.command === 'forget'
        ? `Too many words: expected one job id, got ${p.count - 1} ("${chatText(p.extra)}" is extra). ${FORGET_USAGE}`
        : `Too many words: expected two ids, got ${p.count} ("${chatText(p.extra)}" is extra). ${USAGE}`;
    case 'not_a_guid':
      return `The ${p.which} event id "${chatText(p.value)}" is not a GUID. ${USAGE}`;
    case 'invisible_character':
      return `The ${p.which} event id "${chatText(p.value)}" holds an invisible character (such as a zero-width space): type the id again, or paste it without it. ${USAGE}`;
    case 'same_id':
      return `The same id was given twice (${p.id}): the outbound and the real-time event are different events. ${USAGE}`;
    case 'no_job_id':
      return `Which migration? ${FORGET_USAGE}`;
    case 'not_a_job_id':
      return `"${chatText(p.value)}" is not a job id. ${FORGET_USAGE}`;
    case 'one_job_id_at_most':
      return `\`missing\` takes at most one job id (got "${chatText(p.got)}"). Usage: \`missing [job-id]\``;
    case 'one_name_at_most':
      return `\`use\` takes one environment name (got "${chatText(p.got)}"). Usage: \`use [environment]\``;
    case 'unclosed_quote':
      return `The name ${chatText(p.value)} has no closing quote. ${NAMES_USAGE}.`;
    case 'empty_name':
      return `An event name in quotes is empty. ${NAMES_USAGE}.`;
    case 'new_is_a_target':
      return `\`new\` stands for the real-time event the bot would make, so it goes second: \`migrate <outbound event> new\`.`;
  }
}

const PLAN_USAGE =
  'A plan: `migrate` (or `migrate in <environment>`) on the first line, then one pair a line: `<outbound-event-id> <real-time-event-id>`, or names in quotes with Dataverse.';

function planLineText(command: Extract<Command, { kind: 'invalid' }>, problem: PlanLineProblem): string {
  switch (problem.kind) {
    case 'environment_on_line':
      return 'the environment goes on the first line (`migrate in <name>`), once for the whole plan.';
    case 'new_in_plan':
      return '`new` (the bot makes the draft) is for one pair at a time: `migrate <outbound event> new`.';
    case 'repeated_source':
      return `the outbound event ${problem.id} is already on line ${problem.firstLine}: an event is migrated once.`;
    default:
      // the single-pair wording, without its usage line (the plan's usage follows)
      return invalidText({ ...command, problem }).replace(/ ?Usage: .*$/s, '');
  }
}

// ---------------------------------------------------------------- answers to card actions

const UNKNOWN_JOB = 'This card refers to a migration the bot does not know.';

/** `again`: the user can do something about it (an action), rather than only look (a refresh). */
export function unknownJob(again = true): string {
  return again ? `${UNKNOWN_JOB} Type the migrate command again.` : UNKNOWN_JOB;
}

/** `forget <job id>` naming no job the bot knows. */
export function unknownJobId(jobId: string): string {
  return `The bot knows no migration with the job id \`${jobId}\`. \`status\` shows the current migration's job id, and every card shows its own at the foot.`;
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
      return `Another migration is already active in this environment (job ${a.id}: ${a.fromEventId} -> ${a.toEventId}, ${a.state}, asked by ${cardName(a.requestedBy)}). Wait for it to end. ${forgetHint(a)}`;
    }
    case 'earlier_run':
      return earlierRunText(refusal.earlier);
    case 'preflight':
      return preflightRefusalText(refusal.decision);
  }
}

/** An approval refused because of another job, named by the id its card shows. */
export function earlierRunText(earlier: BlockedBy): string {
  const other = earlier.job;
  const who = `requested by ${cardName(other.requestedBy)} ${utcText(other.requestedAt)}`;
  if (earlier.kind === 'active')
    return `${ALREADY_MIGRATED}the same events are already being migrated by job ${other.id} (${stateLabel(other.state)}, ${who}). Nothing was started.`;
  return `${ALREADY_MIGRATED}the outbound event \`${other.fromEventId}\` was already migrated successfully by job ${other.id} (into \`${other.toEventId}\`, ended ${utcText(other.endedAt)}). Nothing was started.`;
}

/** Why a person may not approve or cancel, addressed to them. */
export function policyText(decision: Extract<PolicyDecision, { ok: false }>): string {
  const name = cardName(decision.person);
  switch (decision.reason) {
    case 'not_an_approver':
      return `${name}, you are not in the approver list (APPROVER_IDS) for migrations. Ask one of the approvers to approve.`;
    case 'own_request':
      return `${name}, a second person must approve this migration: requesters cannot approve their own request.`;
    case 'not_requester_or_approver':
      return `${name}, only the requester or an approver can cancel this request.`;
    case 'not_an_approver_to_forget':
      return `${name}, only an approver (APPROVER_IDS) can stop following a migration. Nothing was changed.`;
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
export const FORGET_ELSEWHERE =
  'That migration belongs to another conversation: stop following it there, on its card or with `forget`. Nothing was changed.';

export const WRONG_CONVERSATION =
  'This card belongs to a migration of another conversation: act on it there. Nothing was changed.';
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
  queued: 'queued behind the running migration',
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
  lost: 'no longer reported by the service',
  abandoned: 'no longer followed by the bot',
  held: 'held: the checks failed before its start',
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
    case 'lost_alert':
      return lostAlert({ ...job, state: 'lost', progress: notice.progress }, notice.since);
    case 'queue_started':
      return queueStarted(job);
    case 'queue_held':
      return queueHeld(job, heldReason(notice.heldFor));
    case 'plan_summary':
      return plain(planSummaryText(notice.summary));
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
  return `Lost contact with the Events API since ${utcText(since)}. The migration ${pair(job, true)} goes on on the service; the bot keeps trying and will say when it can see it again.${job.lastError ? ` Last error: ${chatText(safeText(job.lastError, 200))}` : ''}`;
}

export function backInContact(job: Job): string {
  return `Back in contact with the Events API: ${migratedText(job.progress)}, ${stateLabel(job.state).toLowerCase()}.`;
}

export function startResult(job: Job): string {
  if (job.state === 'start_failed') {
    return `Could not start the migration ${pair(job)}: ${chatText(safeText(job.lastError ?? 'no reason given', 300))} Fix the cause, then use Retry on the card.`;
  }
  return `Migration ${pair(job)} started, approved by ${chatName(job.approvedBy)}. This can take hours (about 8 for 4,000 registrations); the card shows the progress.`;
}

// ---------------------------------------------------------------- the queue

/** "2 ahead of it": the running migration and the queued ones before this job. */
export function aheadText(ahead: number): string {
  return ahead === 1 ? '1 ahead of it' : `${countText(ahead)} ahead of it`;
}

/** On a confirmation card while the environment is busy. */
export function queueOnApprovalText(ahead: number): string {
  return `Another migration is running in this environment: ${aheadText(ahead)}. Approve puts this one in the queue; it starts by itself when the ones before it have ended.`;
}

/** The answer to a request for a busy environment: the job in the way (how long it ran, the way out) and the line. */
export function inLineText(active: Job | undefined, ahead: number, now: Date): string {
  if (!active || !['approved', 'starting', 'running'].includes(active.state)) return queueOnApprovalText(ahead);
  const who = `requested by ${chatName(active.requestedBy)} ${utcText(active.requestedAt)}`;
  return `Another migration is running in this environment (${pair(active)}, ${stateLabel(active.state)}, ${who}, job \`${active.id}\`): ${activeSince(active, now)}. Approve puts this one in the queue, ${aheadText(ahead)}; it starts by itself when the ones before it have ended. ${forgetHint(active)}`;
}

/** The `queue` command's answer: the running job, then the waiting ones, each with its expected times. */
export function queueText(schedule: QueueSchedule): string {
  if (schedule.entries.length === 0) return 'Nothing runs and nothing waits in this environment.';
  const rows = schedule.entries.map((e, i) => {
    const j = e.job;
    const place = j.state === 'queued' ? `${i}. waiting` : `Now: **${stateLabel(j.state)}**`;
    const approved = j.approvedBy ? `approved by ${chatName(j.approvedBy)} ${utcText(j.approvedAt)}` : 'not approved';
    const starts =
      j.state === 'queued' ? `expected to start ${whenText(e.startsAt)}` : `started ${utcText(e.startsAt)}`;
    const size = e.registrations !== undefined ? ` (${countText(e.registrations)} registrations)` : '';
    return `${place}: ${pair(j)}, ${approved}; ${starts}, expected to end ${whenText(e.endsAt)}${size}; job \`${j.id}\``;
  });
  const pace =
    schedule.pace === 'measured'
      ? `Times from the pace measured on the running migration (about ${durationText(schedule.secondsPerRegistration * 1000 * 1000)} for 1,000 registrations).`
      : "Times from the documentation's pace (about 8 hours for 4,000 registrations), until the running migration's pace is measured.";
  const waiting = schedule.entries.filter((e) => e.job.state === 'queued').length;
  return lines(
    `**Queue**: ${waiting === 0 ? 'nothing waits' : `${countText(waiting)} waiting`}`,
    rows.join('\n'),
    pace,
  );
}

function whenText(at: Date | undefined): string {
  return at ? utcText(at) : 'unknown (the one before it has no expected end)';
}

/** On a queued job's card. */
export function queuedNote(job: Job): string {
  const approved = `Approved by ${cardName(job.approvedBy)} ${utcText(job.approvedAt)}.`;
  const ahead = job.aheadInQueue ?? 1;
  return `${approved} In the queue, ${aheadText(ahead)}: it starts by itself when the migration before it ends. Cancel takes it out of the queue.`;
}

export function queueStarted(job: Job): MentioningText {
  const mentions = peopleOf(job);
  const text = `${mentions.map(mentionTag).join(' ')} the queued migration ${pair(job)} started by itself: the migration before it ended. Approved by ${chatName(job.approvedBy)}; the card shows the progress.`;
  return { text, mentions };
}

export function queueHeld(job: Job, reason: string): MentioningText {
  const mentions = peopleOf(job);
  const text = `${mentions.map(mentionTag).join(' ')} the queued migration ${pair(job)} was not started: the checks read again before its start failed. ${chatText(safeText(reason, 400))} The queue moved on to the next one; fix the cause, then use Retry on its card.`;
  return { text, mentions };
}

/** Why a queued job was held, for its card and its notice. */
export function heldReason(decision: Exclude<GateDecision, { ok: true }>): string {
  if (decision.why === 'drift') {
    const found = decision.drift.flatMap((d) => d.found.map((f) => safeText(f, 200)));
    return `Dataverse changed since the approval: ${found.join('; ')}.`;
  }
  return `A check in Dataverse failed: ${decision.failed.map((c) => CHECK_NAMES[c]).join(', ')}.`;
}

function peopleOf(job: Job): Person[] {
  const people = [job.requestedBy];
  if (job.approvedBy && job.approvedBy.id !== job.requestedBy.id) people.push(job.approvedBy);
  return people;
}

export function completedAlert(job: Job): MentioningText {
  const mentions = peopleOf(job);
  const failed = job.progress.failed ? `, ${countText(job.progress.failed)} failed` : '';
  const text = `${mentions.map(mentionTag).join(' ')} the migration ${pair(job)} is complete: ${migratedText(job.progress)}${failed}. Next: open the real-time event, review it, recreate the waitlist, send the new Teams link and publish it; the card lists every step.`;
  return { text, mentions };
}

/** Said wherever a person stops following a job: on the confirmation card and on the card that follows. */
export const FORGET_NOT_TOLD =
  'The service is not told: the migration may still be running there, and if it is, it goes on and its registrations still arrive in the real-time event.';

export const FORGET_QUESTION = 'Stop following this migration?';

export function forgetSentence(job: Job): string {
  return `The bot will stop reading the status of ${pair(job)} and updating this card; the migration ends here as "${stateLabel('abandoned')}", with your name and the time, and the environment is free for another migration.`;
}

/** How long a job has run, from its start (or approval). */
export function runningForText(job: Job, now: Date): string {
  const since = job.startedAt ?? job.approvedAt;
  if (!since) return 'not started yet';
  return `${durationText(now.getTime() - Date.parse(since))} (since ${utcText(since)})`;
}

/** When the service last reported the job (a reading about it, not "no job"). */
export function lastReportedText(job: Job): string {
  return job.progress.lastReportedAt ? utcText(job.progress.lastReportedAt) : 'not since the bot started following it';
}

/** The verb refusing another migration points to, for an approver. */
function forgetHint(job: Job): string {
  return `If the service no longer runs it, an approver can stop following it: \`forget ${job.id}\` (or Stop following on its card).`;
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
  const reason = job.lastError ? ` ${chatText(safeText(job.lastError, 300))}` : '';
  const next =
    job.state === 'failed' || job.state === 'completed_with_errors'
      ? ' See the card for the errors and what to do; Retry runs it again after a new approval.'
      : ' Check the real-time event before running it again.';
  const text = `${mentions.map(mentionTag).join(' ')} the migration ${pair(job)} ${what}: ${migratedText(job.progress)}.${reason}${next}`;
  return { text, mentions };
}

/** What to do about a migration the service no longer reports (the tool's FAQ on registrations not transferred). */
export const LOST_ADVICE: readonly string[] = [
  'Open the real-time event and compare its registrations with those of the outbound event.',
  'If only a few are missing, add them to the real-time event by hand.',
  'If many are missing, create a new draft real-time event and run the migration again into it (`migrate <outbound-event-id> <new-real-time-event-id>`).',
];

const LOST_WORDS = 'The service no longer reports this migration';

export function lostAlert(job: Job, since: string): MentioningText {
  const mentions = peopleOf(job);
  const text = `${mentions.map(mentionTag).join(' ')} ${LOST_WORDS} (${pair(job)}): it has answered "no migration running" since ${utcText(since)}, so the bot stopped following it and the environment is free. Last seen: ${migratedText(job.progress)}. Open the real-time event and compare its registrations with the outbound event's: add the few missing by hand, or if many are missing run the migration again into a new draft real-time event. The card lists the steps.`;
  return { text, mentions };
}

// ---------------------------------------------------------------- on the cards

export function progressNote(job: Job): string {
  const approved = `Approved by ${cardName(job.approvedBy)} ${utcText(job.approvedAt)}.`;
  if (job.state === 'approved') return `${approved} The migration starts in a moment.`;
  if (job.state === 'starting') return `${approved} Asking the service to start the migration…`;
  return 'The service is migrating the registrations (about 8 hours for 4,000). This card updates itself.';
}

export function warningText(job: Job): string {
  if ((job.tracking.noJobReadings ?? 0) > 0) {
    return `The service reports no migration running since ${utcText(job.tracking.firstNoJobAt)}. The bot keeps checking; if the service still reports none after about ${NO_JOB_MINUTES_WORDS}, the bot stops following this migration and frees the environment.`;
  }
  if (job.tracking.lostContactWarned) {
    return `The bot cannot reach the Events API since ${utcText(job.tracking.firstErrorAt)} and keeps trying. The migration goes on on the service.`;
  }
  if (job.tracking.stallWarned) {
    return `No progress since ${utcText(job.progress.lastProgressAt ?? job.startedAt)}. The bot keeps checking.`;
  }
  return '';
}

/** How long "no job" lasts before a job is lost, in words (the rule's default: 15 readings over 15 intervals). */
const NO_JOB_MINUTES_WORDS = '15 status checks';

/**
 * The review card's first line. The service's "completed" is only its word: when Dataverse shows registrations
 * that did not arrive, the card must not open with "all done" above the list of them.
 */
export function reviewSummary(missingCount: number | undefined): string {
  if (missingCount !== undefined && missingCount > 0)
    return `The service reports the migration complete, but ${countText(missingCount)} registration${missingCount === 1 ? '' : 's'} did not arrive in the real-time event (see below). A few steps are left to do by hand.`;
  return 'All done: the registrations of the outbound event are now in the real-time event. A few steps are left to do by hand.';
}

const FAILURE_WORDS: Partial<Record<JobState, string>> = {
  completed_with_errors: 'The migration finished, but some registrations were not migrated.',
  failed: 'The migration failed on the service.',
  start_failed: 'The migration could not be started. Nothing was migrated.',
  held: 'The queued migration was not started: the checks read again before its start failed. Nothing was migrated.',
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

export type ClosedState = 'cancelled' | 'expired' | 'superseded' | 'stopped' | 'lost' | 'abandoned';

export function closedSentence(job: Job, state: ClosedState, canceller: Person | undefined): string {
  const ended = job.endedAt ?? job.updatedAt;
  switch (state) {
    case 'cancelled':
      return `Cancelled${canceller ? ` by ${cardName(canceller)}` : ''} ${utcText(ended)}. Nothing was started.`;
    case 'expired':
      return `Nobody approved this request before it expired (${utcText(job.expiresAt)}). Nothing was started; send the migrate command again to start over.`;
    case 'superseded':
      return `Another migration replaced this one on the service ${utcText(ended)}: someone used "replace a running migration", or started one outside the bot. Registrations migrated before that stay in the real-time event; check them before running again.`;
    case 'stopped':
      return `The migration was stopped on the service before it finished (${utcText(ended)}). Registrations migrated so far stay in the real-time event; check them before running again.`;
    case 'lost':
      return `${LOST_WORDS}: it has answered "no migration running" since ${utcText(job.tracking.firstNoJobAt)}, so the bot stopped following it ${utcText(ended)} and the environment is free. What it migrated is not known; check the real-time event:`;
    case 'abandoned':
      return `${canceller ? cardName(canceller) : 'An approver'} stopped following this migration ${utcText(ended)}, and the environment is free. ${FORGET_NOT_TOLD} Check the real-time event before running it again.`;
  }
}

// ---------------------------------------------------------------- Dataverse: pre-flight evidence, reconciliation

export const OVERRIDE_TOGGLE_TITLE = 'Override the failed checks';
export const OVERRIDE_REASON_PLACEHOLDER = 'Why the migration may start anyway (required to override)';
export const CHECKING_IN_DATAVERSE = 'Checking in Dataverse…';
export const COUNTED_IN_DATAVERSE = 'counted in Dataverse';

export const CHECK_NAMES: Record<PreflightCheckId, string> = {
  target_blank_draft: 'the real-time event is a blank Draft',
  source_outbound: 'the source is an outbound event',
  no_reacting_journeys: 'no live journey reacts to new registrations',
  source_counts: "the outbound event's counts",
};

/** One check's evidence in a line (links are added by the card). */
export function evidenceText(evidence: Evidence): string {
  switch (evidence.outcome) {
    case 'passed':
      return `Checked in Dataverse: passed. ${safeText(evidence.summary, 300)}.`;
    case 'failed':
      return `Checked in Dataverse: failed. Found ${evidence.found.map((f) => safeText(f, 200)).join('; ')}.`;
    case 'could_not_check':
      return `Dataverse: the check could not be made (${safeText(evidence.why, 300)}). Your tick decides.`;
  }
}

export function expectedDurationText(registrations: number, duration: string): string {
  return `Expected duration: ${duration} for ${countText(registrations)} registrations (the documentation's figure of about 7.2 s a registration).`;
}

export function preflightRefusalText(decision: Exclude<GateDecision, { ok: true }>): string {
  if (decision.why === 'drift') {
    const found = decision.drift.flatMap((d) => d.found.map((f) => safeText(f, 200)));
    return `Dataverse changed since this card was posted: ${found.join('; ')}. Nothing was started; look at the checks again before approving.`;
  }
  const failed = decision.failed.map((c) => CHECK_NAMES[c]).join(', ');
  if (decision.reasonMissing) return `To override the failed checks (${failed}), give a reason. Nothing was started.`;
  return `A check in Dataverse failed (${failed}). Fix it and approve again, or tick "${OVERRIDE_TOGGLE_TITLE}" and give a reason. Nothing was started.`;
}

export function overrideText(override: { by: Person; at: string; reason: string }): string {
  return `Failed checks overridden by ${cardName(override.by)}, ${utcText(override.at)}: "${cardText(safeText(override.reason, 300))}"`;
}

function countPairText(pair: { source?: number; target?: number }): string {
  const side = (n: number | undefined) => (n === undefined ? 'could not be counted' : countText(n));
  return `${side(pair.source)} in the outbound event, ${side(pair.target)} in the real-time event`;
}

export function reconciliationFacts(r: ReconciliationRecord): Array<{ title: string; value: string }> {
  return [
    { title: 'Registrations', value: countPairText(r.registrations) },
    { title: 'Session registrations', value: countPairText(r.sessionRegistrations) },
    { title: 'Attendee passes', value: countPairText(r.attendeePasses) },
  ];
}

/** The FAQ's advice, with the numbers. */
export function reconciliationText(r: ReconciliationRecord): string {
  if (r.missingCount === undefined)
    return `Compared in Dataverse: which registrations did not arrive could not be verified (${safeText(r.why ?? 'unknown', 300)}).`;
  if (r.missingCount === 0)
    return 'Compared in Dataverse: every registration of the outbound event arrived in the real-time event.';
  const some = `Compared in Dataverse: ${countText(r.missingCount)} registration${r.missingCount === 1 ? '' : 's'} did not arrive.`;
  const names = r.missingNames.map((n) => safeText(n, 80)).join(', ');
  const more =
    r.missingCount > r.missingNames.length
      ? ` and ${countText(r.missingCount - r.missingNames.length)} more (type \`missing\` for all)`
      : '';
  const advice =
    r.missingCount <= FEW_MISSING
      ? 'That is only a few: add them to the real-time event by hand.'
      : 'That is many: create a new draft real-time event and run the migration again into it.';
  return `${some} ${names}${more}. ${advice}`;
}

export const MISSING_PAGE_SIZE = 100;
export const MISSING_MAX_PAGES = 40;
export const NO_DATAVERSE =
  'Dataverse is not configured (DATAVERSE_URL is empty), so the bot cannot compare the events.';

export function missingNotEnded(job: Job): string {
  return `The migration ${pair(job)} is ${stateInWords(job.state)}: the missing registrations are listed once it ends.`;
}

export function missingUnknown(why: string): string {
  return `Which registrations did not arrive could not be verified in Dataverse: ${safeText(why, 300)}.`;
}

/** The pages of `missing`: a headline with the advice, then the names, `MISSING_PAGE_SIZE` a message. */
export function missingPages(job: Job, names: readonly string[]): string[] {
  if (names.length === 0) return [`Every registration of ${pair(job)} arrived in the real-time event.`];
  const pages: string[] = [];
  const total = Math.ceil(names.length / MISSING_PAGE_SIZE);
  const shown = Math.min(total, MISSING_MAX_PAGES);
  for (let i = 0; i < shown; i++) {
    const slice = names.slice(i * MISSING_PAGE_SIZE, (i + 1) * MISSING_PAGE_SIZE);
    const body = slice.map((n) => `- ${safeText(n, 80)}`).join('\n');
    pages.push(
      `**Missing registrations ${i * MISSING_PAGE_SIZE + 1}-${i * MISSING_PAGE_SIZE + slice.length} of ${countText(names.length)}** (${pair(job, true)})\n\n${body}`,
    );
  }
  const advice =
    names.length <= FEW_MISSING
      ? 'Only a few: add them to the real-time event by hand.'
      : 'Many: create a new draft real-time event and run the migration again into it.';
  pages[0] = `${pages[0]}\n\n${advice}`;
  if (total > shown) pages.push(`${countText(names.length - shown * MISSING_PAGE_SIZE)} more are not listed here.`);
  return pages;
}

// ---------------------------------------------------------------- the real-time draft the bot makes (issue 13)

/** `migrate <id> new` refused before any card: why, and what to do. */
export function draftRefusalText(refusal: DraftRefusal): string {
  const no = 'The bot cannot make the real-time event for you here: nothing was requested.';
  switch (refusal.kind) {
    case 'no_dataverse':
      return `${no} Making the draft real-time event needs Dataverse (DATAVERSE_URL is not set). Create the draft by hand and use \`migrate <outbound-event-id> <real-time-event-id>\`.`;
    case 'no_privilege':
      return `${no} The app user lacks the ${refusal.missing.join(' and ')} privilege${refusal.missing.length > 1 ? 's' : ''} on \`msevtmgt_event\` (Events), which creating the event needs: add ${refusal.missing.length > 1 ? 'them' : 'it'} to its security role, or create the draft by hand and name it in the command. \`check\` shows the privileges.`;
    case 'privileges_unread':
      return `${no} The app user's privileges could not be read: ${chatText(safeText(refusal.why, 300))}`;
    case 'source_unread':
      return `${no} The outbound event could not be read from Dataverse: ${chatText(safeText(refusal.why, 300))}`;
    case 'source_not_found':
      return `${no} Dataverse has no event \`${refusal.id}\` (or the app user may not read it).`;
    case 'source_real_time':
      return `${no} "${chatText(refusal.name)}" is a real-time event, not an outbound event.`;
  }
}

const NOTHING_ELSE = 'nothing else: no sessions, passes or other settings';

/** What will be (or was) created, as facts for the card. */
export function draftFacts(spec: DraftEventSpec): Array<{ title: string; value: string }> {
  return [
    { title: 'Name', value: cardText(spec.name) },
    { title: 'Start', value: spec.startDate ? utcText(spec.startDate) : 'not set on the outbound event' },
    { title: 'End', value: spec.endDate ? utcText(spec.endDate) : 'not set on the outbound event' },
    {
      title: 'Time zone',
      value: spec.timeZone !== null ? `Dataverse time zone code ${spec.timeZone}` : 'not set on the outbound event',
    },
    { title: 'Kind', value: 'Real-time event' },
    { title: 'State', value: 'Draft' },
    { title: 'Else', value: NOTHING_ELSE },
  ];
}

export const DRAFT_HEADING =
  'The bot will create this real-time event after approval, copied from the outbound event, then migrate into it:';
export const DRAFT_MADE_HEADING = 'The bot created this real-time event for the migration:';

/** The card's "Real-time event" fact for a job whose target the bot makes. */
export function draftTargetFact(job: Job): string {
  const made = job.draftTarget;
  if (!made) return job.toEventId;
  return made.createdAt
    ? `${job.toEventId} (created by the bot)`
    : `${job.toEventId} (not created yet: the bot creates it after approval)`;
}

/** On the review card: the event the bot made, to open and review. */
export function draftReviewText(job: Job): string {
  const made = job.draftTarget;
  if (!made?.createdAt) return '';
  const name = cardText(made.spec.name).replace(/[[\]()]/g, ' ');
  const link = made.link ? `[${name}](${encodeURI(made.link)})` : `"${name}"`;
  return `The bot created the real-time event ${link} for this migration, with only its name, start, end and time zone. Review it before you publish it: a row created this way may lack settings the app's form gives a new event.`;
}
