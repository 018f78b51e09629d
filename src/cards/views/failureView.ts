import { FAILURE_ADVICE } from '../../migration/checklist';
import type { Job } from '../../migration/types';
import { START_FAILED_ADVICE, errorsNote, heldReason, whatFailed } from '../../words/catalogue';
import { cardText } from '../../words/escape';
import { safeText } from '../../words/format';
import { base, bullets, countFacts, type JobCard } from './common';
import { reconciliationData } from './reconciliationView';

/** The failure card (cards/failure.json): what failed, the service's errors, the advice and Retry. */

/** A failure card lists at most this many of the service's errors; the rest are counted. */
export const MAX_ERRORS_SHOWN = 20;
const MAX_ERROR_CHARS = 300;

export function failureCard(job: Job): JobCard {
  const all = (job.progress.errors ?? []).map((e) => cardText(safeText(e, MAX_ERROR_CHARS))).filter((e) => e !== '');
  const shown = all.slice(0, MAX_ERRORS_SHOWN);
  const startFailed = job.state === 'start_failed' || job.state === 'held';
  const reason = job.state === 'held' && job.heldFor ? heldReason(job.heldFor) : job.lastError;
  const data = {
    ...base(job, job.state === 'completed_with_errors' ? 'warning' : 'attention'),
    whatFailed: whatFailed(job.state),
    showReason: Boolean(reason),
    reasonText: reason ? cardText(safeText(reason)) : '',
    showCounts: !startFailed,
    countFacts: startFailed ? [] : countFacts(job),
    showErrors: shown.length > 0,
    errors: shown.map((text) => ({ text })),
    errorsTotal: all.length,
    errorsNote: errorsNote(shown.length, all.length),
    showErrorsNote: shown.length < all.length,
    adviceText: startFailed ? bullets(START_FAILED_ADVICE) : bullets(FAILURE_ADVICE),
    ...reconciliationData(job),
  };
  return { template: 'failure', data };
}
