import { mayForget } from '../../migration/approvalPolicy';
import type { Job } from '../../migration/types';
import {
  FORGET_NOT_TOLD,
  FORGET_QUESTION,
  forgetSentence,
  lastReportedText,
  runningForText,
} from '../../words/catalogue';
import { base, type Fact, type JobCard, type JobCardContext } from './common';

/**
 * The confirmation to stop following a running job (cards/forget.json): what it means, how long the job has run
 * and when the service last reported it, then Stop following or Keep following.
 */

export function forgetCard(job: Job, ctx: JobCardContext): JobCard {
  const data = {
    ...base(job, 'warning'),
    question: FORGET_QUESTION,
    sentence: forgetSentence(job),
    notToldText: FORGET_NOT_TOLD,
    runFacts: runFacts(job, ctx.now),
    canForget: mayForgetHere(job, ctx),
  };
  return { template: 'forget', data };
}

/** How long the job has run and when the service last reported it (also beside a refusal it causes). */
export function runFacts(job: Job, now: Date): Fact[] {
  return [
    { title: 'Running for', value: runningForText(job, now) },
    { title: 'Service last reported it', value: lastReportedText(job) },
  ];
}

/** The button is drawn for one who may press it; without a viewer (a shared card) it is, and the click decides. */
export function mayForgetHere(job: Job, ctx: JobCardContext): boolean {
  if (job.state !== 'running') return false;
  return !ctx.viewer || !ctx.rules || mayForget(ctx.viewer, ctx.rules).ok;
}
