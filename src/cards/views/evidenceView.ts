import { isOn } from '../../migration/checklist';
import { OVERRIDE_REASON_ID, OVERRIDE_TOGGLE_ID, overrideReason } from '../../migration/preflightGate';
import type { CheckEvidence, Evidence, PreflightCheckId } from '../../migration/preflightEvidence';
import { DOCUMENTED_SECONDS_PER_REGISTRATION } from '../../migration/progress';
import type { ChecklistItemId, Job } from '../../migration/types';
import {
  CHECKING_IN_DATAVERSE,
  OVERRIDE_REASON_PLACEHOLDER,
  OVERRIDE_TOGGLE_TITLE,
  evidenceText,
  expectedDurationText,
} from '../../words/catalogue';
import { durationText } from '../../words/format';

/**
 * The Dataverse evidence on the confirmation card: beside each checklist toggle, the source's counts with the
 * expected duration, the override (only when a check failed) and what changed since the card was posted.
 * Without a pre-flight record (no DATAVERSE_URL) it adds nothing, so the card is as it was.
 */

const CHECK_OF_ITEM: Partial<Record<ChecklistItemId, PreflightCheckId>> = {
  rtmEventIsMinimalDraft: 'target_blank_draft',
  outboundEventIsDraft: 'source_outbound',
  journeysDisabled: 'no_reacting_journeys',
};

const COLOR: Record<Evidence['outcome'], string> = { passed: 'Good', failed: 'Attention', could_not_check: 'Warning' };

/** Markdown link text may not hold brackets; a name is shown, never interpreted. */
const linkLabel = (label: string) => label.replace(/[[\]()\\*_`<>]/g, ' ').trim() || 'the row';

function lineOf(e: CheckEvidence | undefined, checking: boolean): { text: string; color: string } | undefined {
  if (!e) return checking ? { text: CHECKING_IN_DATAVERSE, color: 'Default' } : undefined;
  const links =
    e.evidence.outcome === 'failed' && e.evidence.links.length > 0
      ? ` Open: ${e.evidence.links.map((l) => `[${linkLabel(l.label)}](${encodeURI(l.url)})`).join(', ')}`
      : '';
  return { text: `${evidenceText(e.evidence)}${links}`, color: COLOR[e.evidence.outcome] };
}

export function evidenceForItem(job: Job, item: ChecklistItemId) {
  const check = CHECK_OF_ITEM[item];
  const pre = job.preflight;
  const line =
    check && pre
      ? lineOf(
          pre.evidence?.find((e) => e.check === check),
          pre.status === 'checking',
        )
      : undefined;
  return { showEvidence: Boolean(line), evidenceText: line?.text ?? '', evidenceColor: line?.color ?? 'Default' };
}

export function hasFailedCheck(job: Job): boolean {
  return (job.preflight?.evidence ?? []).some((e) => e.evidence.outcome === 'failed');
}

function countsLine(job: Job): string {
  const pre = job.preflight;
  if (!pre) return '';
  const counts = pre.evidence?.find((e) => e.check === 'source_counts');
  if (!counts) return pre.status === 'checking' ? `Counts: ${CHECKING_IN_DATAVERSE}` : '';
  const line = lineOf(counts, false)?.text ?? '';
  const n = counts.check === 'source_counts' ? counts.counts.registrations : undefined;
  if (n === undefined) return line;
  return `${line}\r${expectedDurationText(n, durationText(n * DOCUMENTED_SECONDS_PER_REGISTRATION * 1000))}`;
}

export function evidenceData(job: Job, inputs: Record<string, unknown>) {
  const pre = job.preflight;
  const drift = pre?.drift ?? [];
  const countsText = countsLine(job);
  return {
    withEvidence: Boolean(pre),
    showCounts: countsText !== '',
    countsText,
    showOverride: hasFailedCheck(job),
    ...overrideFields(inputs),
    showDrift: drift.length > 0,
    driftText:
      drift.length > 0
        ? `Changed in Dataverse since this card was posted: ${drift.flatMap((d) => d.found).join('; ')}.`
        : '',
  };
}

/** The override toggle and its reason, as the person left them (a job's card and a plan's alike). */
export function overrideFields(inputs: Record<string, unknown>) {
  return {
    overrideToggleId: OVERRIDE_TOGGLE_ID,
    overrideToggleTitle: OVERRIDE_TOGGLE_TITLE,
    overrideToggleValue: String(isOn(inputs[OVERRIDE_TOGGLE_ID])),
    overrideReasonId: OVERRIDE_REASON_ID,
    overrideReasonValue: overrideReason(inputs),
    overrideReasonPlaceholder: OVERRIDE_REASON_PLACEHOLDER,
  };
}
