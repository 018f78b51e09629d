import type { Job } from '../../migration/types';
import { closedSentence, type ClosedState } from '../../words/catalogue';
import { cardText } from '../../words/escape';
import { safeText } from '../../words/format';
import { base, countFacts, type JobCard, type JobCardContext } from './common';

/** The closed card (cards/closed.json): a request or job that ended without a result to review. */

export function closedCard(job: Job, ctx: JobCardContext, state: ClosedState): JobCard {
  const sentence = closedSentence(job, state, job.endedBy ?? ctx.actor);
  const showCounts = state === 'superseded' || state === 'stopped';
  const data = {
    ...base(job, showCounts ? 'warning' : 'emphasis', state),
    sentence,
    showDetail: Boolean(job.lastError) && showCounts,
    detailText: job.lastError ? cardText(safeText(job.lastError)) : '',
    showCounts,
    countFacts: showCounts ? countFacts(job) : [],
  };
  return { template: 'closed', data };
}
