import { percentOf } from '../migration/progress';
import type { JobProgress, JobState, Person } from '../migration/types';

/** How values read in cards and texts; one place so every view says the same thing the same way. */

export const STATE_LABELS: Readonly<Record<JobState, string>> = {
  pending_approval: 'Waiting for approval',
  queued: 'Queued',
  approved: 'Approved',
  starting: 'Starting',
  running: 'Running',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
  stopped: 'Stopped',
  superseded: 'Replaced',
  cancelled: 'Cancelled',
  expired: 'Expired',
  start_failed: 'Could not start',
  lost: 'No longer reported',
  abandoned: 'No longer followed',
  held: 'Held: checks failed',
};

export function stateLabel(state: JobState): string {
  return STATE_LABELS[state];
}

function validDate(value: string | Date | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Plain texts cannot localise times, so they say UTC explicitly: `2026-11-30 10:12 UTC`. Cards say it the same
 * way: Adaptive Cards localise `{{DATE()}}`/`{{TIME()}}` only inside TextBlocks, and the cards show times in FactSets.
 */
export function utcText(value: string | Date | undefined): string {
  const d = validDate(value);
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'unknown';
}

/** "about 2 h 10 min": estimates are rough, and the words should say so. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return 'less than a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `about ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `about ${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

export function countText(n: number | undefined): string {
  return n === undefined ? '?' : Math.round(n).toLocaleString('en-US');
}

export function personName(p: Person | undefined): string {
  return p?.name?.trim() || p?.id || 'someone';
}

export function percentText(progress: JobProgress): string | undefined {
  const p = percentOf(progress);
  return p === undefined ? undefined : `${Number.isInteger(p) ? p : p.toFixed(1)} %`;
}

/** "1,234 of 4,000 (31 % done)": the percent counts failed registrations as handled, so it says "done". */
export function processedText(progress: JobProgress): string {
  const pct = percentText(progress);
  if (progress.processed === undefined && progress.total === undefined) return pct ? `${pct} done` : 'not known yet';
  const counts = `${countText(progress.processed)} of ${countText(progress.total)}`;
  return pct ? `${counts} (${pct} done)` : counts;
}

/** The same for sentences: "1,234 of 4,000 registrations migrated (31 % done)". */
export function migratedText(progress: JobProgress): string {
  const pct = percentText(progress);
  if (progress.processed === undefined && progress.total === undefined) return pct ? `${pct} done` : 'no counts yet';
  const counts = `${countText(progress.processed)} of ${countText(progress.total)} registrations migrated`;
  return pct ? `${counts} (${pct} done)` : counts;
}

/** The speed, saying what is counted: "2 registrations a second", or "about 1 every 7 seconds" when slower. */
export function throughputText(perSecond: number | undefined): string | undefined {
  if (perSecond === undefined || !(perSecond > 0)) return undefined;
  if (perSecond >= 1) {
    const n = Math.round(perSecond);
    return `${countText(n)} ${n === 1 ? 'registration' : 'registrations'} a second`;
  }
  const seconds = Math.round(1 / perSecond);
  if (seconds < 120) return `about 1 every ${seconds} seconds`;
  return `about 1 every ${countText(seconds / 60)} minutes`;
}

/** Time left until the estimated end, or undefined when there is no estimate. */
export function remainingText(eta: string | undefined, now: Date): string | undefined {
  const end = validDate(eta);
  if (!end) return undefined;
  const left = end.getTime() - now.getTime();
  return left <= 0 ? 'any moment now' : durationText(left);
}

const TOKEN_IN_TEXT = /(emApplicationtoken=)[^&\s"'<>]+/gi;

/**
 * Texts from the service or the client end up in cards and channels; the token must never be among them,
 * whatever an upstream layer forgot to redact.
 */
export function safeText(text: string, max = 500): string {
  const clean = text.replace(TOKEN_IN_TEXT, '$1***').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
