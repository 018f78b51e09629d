/**
 * What the pre-flight evidence decides at Approve: pure. The checks are read again when Approve is pressed;
 * a check that fails now and did not fail the same way on the card is drift (the person approved something else)
 * and refuses; a failed check refuses like an unticked item unless an approver overrides it with a reason.
 * "Could not check" decides nothing: the person's tick stands.
 */
import { isOn } from './checklist';
import type { CheckEvidence, PreflightCheckId } from './preflightEvidence';

export const OVERRIDE_TOGGLE_ID = 'overrideFailedChecks';
export const OVERRIDE_REASON_ID = 'overrideReason';
export const OVERRIDE_REASON_MAX = 500;

export interface Drift {
  check: PreflightCheckId;
  /** what was found now, that the card did not show */
  found: string[];
}

export type GateDecision =
  | { ok: true; overridden?: { reason: string; failed: PreflightCheckId[] } }
  | { ok: false; why: 'drift'; drift: Drift[] }
  | { ok: false; why: 'failed'; failed: PreflightCheckId[]; reasonMissing: boolean };

const foundOf = (e: CheckEvidence): string[] | undefined =>
  e.evidence.outcome === 'failed' ? e.evidence.found : undefined;

function sameFound(a: string[] | undefined, b: string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((line, i) => line === b[i]);
}

/** Checks failing now that the card (`shown`, undefined while it was still being checked) did not show so. */
export function driftBetween(shown: readonly CheckEvidence[] | undefined, fresh: readonly CheckEvidence[]): Drift[] {
  const drift: Drift[] = [];
  for (const now of fresh) {
    const found = foundOf(now);
    if (!found) continue;
    const before = shown?.find((e) => e.check === now.check);
    if (!sameFound(before ? foundOf(before) : undefined, found)) drift.push({ check: now.check, found });
  }
  return drift;
}

export function overrideReason(inputs: Record<string, unknown>): string {
  const raw = inputs[OVERRIDE_REASON_ID];
  return typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim().slice(0, OVERRIDE_REASON_MAX) : '';
}

export function judgeGate(
  shown: readonly CheckEvidence[] | undefined,
  fresh: readonly CheckEvidence[],
  inputs: Record<string, unknown>,
): GateDecision {
  const drift = driftBetween(shown, fresh);
  if (drift.length > 0) return { ok: false, why: 'drift', drift };
  const failed = fresh.filter((e) => e.evidence.outcome === 'failed').map((e) => e.check);
  if (failed.length === 0) return { ok: true };
  const reason = overrideReason(inputs);
  if (isOn(inputs[OVERRIDE_TOGGLE_ID]) && reason) return { ok: true, overridden: { reason, failed } };
  return { ok: false, why: 'failed', failed, reasonMissing: isOn(inputs[OVERRIDE_TOGGLE_ID]) && !reason };
}
