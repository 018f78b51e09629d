import { AFTER_MIGRATION_STEPS, FAILURE_ADVICE } from '../../migration/checklist';
import type { Job } from '../../migration/types';
import { draftReviewText, reviewSummary } from '../../words/catalogue';
import { base, bullets, countFacts, numbered, type JobCard } from './common';
import { reconciliationData } from './reconciliationView';

/** The review card (cards/review.json): the counts and what is left to do by hand. */

export function reviewCard(job: Job): JobCard {
  const someFailed = (job.progress.failed ?? 0) > 0;
  const data = {
    ...base(job, 'good'),
    summary: reviewSummary(job.reconciliation?.missingCount),
    showDraftReview: draftReviewText(job) !== '',
    draftReviewText: draftReviewText(job),
    countFacts: countFacts(job),
    stepsText: numbered(AFTER_MIGRATION_STEPS),
    showAdvice: someFailed,
    adviceText: bullets(FAILURE_ADVICE.slice(1)),
    ...reconciliationData(job),
  };
  return { template: 'review', data };
}
