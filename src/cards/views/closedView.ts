import type { Job } from '../../migration/types';
import { LOST_ADVICE, closedSentence, type ClosedState } from '../../words/catalogue';
import { cardText } from '../../words/escape';
import { safeText } from '../../words/format';
import { base, bullets, countFacts, type JobCard, type JobCardContext } from './common';

/** Endings after which the service may have migrated part of the registrations: the card shows the counts. */
const WITH_COUNTS: readonly ClosedState[] = ['superseded', 'stopped', 'lost', 'abandoned'];

/** The closed card (cards/closed.json): a request or job that ended without a result to review. */

export function closedCard(job: Job, ctx: JobCardContext, state: ClosedState): JobCard {
  const sentence = closedSentence(job, state, job.endedBy ?? ctx.actor);
  const showCounts = WITH_COUNTS.includes(state);
  const data = {
    ...base(job, showCounts ? 'warning' : 'emphasis', state),
    sentence,
    showAdvice: state === 'lost',
    adviceText: state === 'lost' ? bullets(LOST_ADVICE) : '',
    showDetail: Boolean(job.lastError) && showCounts,
    detailText: job.lastError ? cardText(safeText(job.lastError)) : '',
    showCounts,
    countFacts: showCounts ? countFacts(job) : [],
  };
  return { template: 'closed', data };
}
