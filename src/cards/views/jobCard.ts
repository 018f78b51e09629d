import { isExpired } from '../../migration/approvalPolicy';
import type { Job } from '../../migration/types';
import { closedCard } from './closedView';
import type { JobCard, JobCardContext } from './common';
import { confirmationCard } from './confirmationView';
import { failureCard } from './failureView';
import { forgetCard } from './forgetView';
import { progressCard } from './progressView';
import { reviewCard } from './reviewView';

export type { CardTemplateName, Fact, JobCard, JobCardContext } from './common';
export { MAX_ERRORS_SHOWN } from './failureView';

/** What the job's card shows in each state: the template to use and the data to bind it with. */

export function jobCard(job: Job, ctx: JobCardContext): JobCard {
  const card = withEnvironment(cardForState(job, ctx), ctx);
  // The confirmation shows a refusal beside its checklist; every other card says it in a notice at the top.
  if (card.template === 'confirmation') return card;
  return { ...card, data: { ...card.data, showNotice: Boolean(ctx.refusal), noticeText: ctx.refusal?.message ?? '' } };
}

/** The environment is the first fact; every template binds `facts`. */
function withEnvironment(card: JobCard, ctx: JobCardContext): JobCard {
  if (!ctx.environment) return card;
  const { name, production } = ctx.environment;
  const fact = { title: 'Environment', value: production ? `${name} (production)` : name };
  return { ...card, data: { ...card.data, facts: [fact, ...card.data.facts] } };
}

function cardForState(job: Job, ctx: JobCardContext): JobCard {
  if (ctx.confirmForget && job.state === 'running') return forgetCard(job, ctx);
  switch (job.state) {
    case 'pending_approval':
      return isExpired(job, ctx.now) ? closedCard(job, ctx, 'expired') : confirmationCard(job, ctx);
    case 'queued':
    case 'approved':
    case 'starting':
    case 'running':
      return progressCard(job, ctx);
    case 'completed':
      return reviewCard(job);
    case 'completed_with_errors':
    case 'failed':
    case 'start_failed':
    case 'held':
      return failureCard(job);
    case 'cancelled':
    case 'expired':
    case 'superseded':
    case 'stopped':
    case 'lost':
    case 'abandoned':
      return closedCard(job, ctx, job.state);
  }
}
