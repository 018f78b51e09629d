import { COMMANDS } from './commandCatalog';
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
import { shortId } from './ids';
import type { BlockedBy } from './jobView';
import type { Job, Person } from './types';

/** The bot's words in chat (Teams markdown). Plain texts cannot localise times, so they say UTC. */

export interface MentioningText {
  text: string;
  /** each appears in `text` as `<at>name</at>` */
  mentions: Person[];
}

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

/** `now` is accepted for symmetry with `status`; history shows absolute times only. */
export function history(jobs: readonly Job[], _now?: Date): string {
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

export function blockedText(blockedBy: BlockedBy): string {
  const other = blockedBy.job;
  const who = `requested by ${personName(other.requestedBy)} ${utcText(other.requestedAt)}`;
  if (blockedBy.kind === 'active') {
    return `This migration cannot be approved now: another migration is running in this environment (${pair(other)}, ${stateLabel(other.state)}, ${who}). Only one event can be migrated at a time; try again when it has ended.`;
  }
  return `This migration cannot be approved: the outbound event \`${other.fromEventId}\` has already been migrated successfully into \`${other.toEventId}\` (${who}, ended ${utcText(other.endedAt)}).`;
}

// ---------------------------------------------------------------- notices while a job runs

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
