import { percentOf } from '../../migration/progress';
import { cardText } from '../../words/escape';
import type { Job } from '../../migration/types';
import { COUNTED_IN_DATAVERSE, progressNote, queuedNote, warningText } from '../../words/catalogue';
import {
  countText,
  percentText,
  processedText,
  remainingText,
  safeText,
  throughputText,
  utcText,
} from '../../words/format';
import { base, type Fact, type JobCard, type JobCardContext } from './common';
import { mayForgetHere } from './forgetView';

/** The progress card (cards/progress.json), updated in place while the job is approved, starting and running. */

const BAR_SEGMENTS = 20;

export function progressCard(job: Job, ctx: JobCardContext): JobCard {
  const p = job.progress;
  const percent = percentOf(p);
  const data = {
    ...base(job, 'accent'),
    note: job.state === 'queued' ? queuedNote(job) : progressNote(job),
    progressFacts: progressFacts(job, ctx.now),
    showBar: percent !== undefined,
    barText: percent === undefined ? '' : progressBar(percent),
    showWarning: warningText(job) !== '',
    warningText: warningText(job),
    showRaw: p.serviceState === 'unknown' && Boolean(p.rawSummary),
    rawText: p.rawSummary ? cardText(safeText(p.rawSummary, 400)) : '',
    canForget: mayForgetHere(job, ctx),
    canCancel: job.state === 'queued',
  };
  return { template: 'progress', data };
}

function progressFacts(job: Job, now: Date): Fact[] {
  const p = job.progress;
  const facts: Fact[] = [];
  if (job.state === 'queued') return facts;
  if (p.rawState ?? p.serviceState)
    facts.push({ title: 'Service says', value: cardText(safeText(p.rawState ?? p.serviceState ?? '', 60)) });
  const counted = p.processed === undefined ? job.dataverseCount : undefined;
  facts.push({
    title: 'Migrated',
    value: counted
      ? `${countText(counted.registrations)} registrations (${COUNTED_IN_DATAVERSE}, ${utcText(counted.at)})`
      : processedText(p),
  });
  if (p.failed !== undefined) facts.push({ title: 'Failed', value: countText(p.failed) });
  const speed = throughputText(p.throughput);
  if (speed) facts.push({ title: 'Speed', value: speed });
  const left = remainingText(p.eta, now);
  if (left) facts.push({ title: 'Time left', value: `${left} (ends around ${utcText(p.eta)})` });
  if (job.startedAt) facts.push({ title: 'Started', value: utcText(job.startedAt) });
  facts.push({ title: 'Last checked', value: p.lastCheckedAt ? utcText(p.lastCheckedAt) : 'not yet' });
  return facts;
}

function progressBar(percent: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * BAR_SEGMENTS);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_SEGMENTS - filled)}  ${percentText({ percent }) ?? ''}`;
}
