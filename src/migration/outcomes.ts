import type { PolicyDecision } from './approvalPolicy';
import type { GateDecision } from './preflightGate';
import type { ChecklistItemId, Job } from './types';

/**
 * What each domain operation can come to. One type per operation, so a caller handles exactly the cases its
 * operation has; the Teams layer turns each case into a card or a message (the words are in the catalogue).
 */

/** Why a request cannot become a migration now: nothing is stored, the card says why. */
export type BlockedBy = { kind: 'active'; job: Job } | { kind: 'already_migrated'; job: Job };

/** Why an action was refused; the job is left as it was. */
export type Refusal =
  | { kind: 'policy'; decision: Extract<PolicyDecision, { ok: false }> }
  | { kind: 'checklist'; missing: ChecklistItemId[] }
  | { kind: 'busy'; active: Job }
  /** the source was already migrated, or the same pair is being migrated by another job */
  | { kind: 'earlier_run'; earlier: BlockedBy }

  /** the pre-flight checks, read again at Approve, found something (drift, or a failed check not overridden) */
  | { kind: 'preflight'; decision: Exclude<GateDecision, { ok: true }> };

/** The job is no longer waiting for this action (double click, re-sent invoke): show it as it is. */
export type Unchanged = { kind: 'unchanged'; job: Job; why: 'not_waiting' | 'expired' };
export type NotFound = { kind: 'not_found' };

export type RequestOutcome =
  | { kind: 'created'; job: Job }
  | { kind: 'blocked'; draft: Job; blockedBy: BlockedBy }
  /** the same request activity delivered again: the job it made the first time, nothing new */
  | { kind: 'duplicate'; job: Job };

export type ApproveOutcome =
  | { kind: 'approved'; job: Job }
  /** the environment was busy: the job waits in line and starts by itself (`advanceQueue` after the turn) */
  | { kind: 'queued'; job: Job }
  | { kind: 'refused'; job: Job; refusal: Refusal }
  | Unchanged
  | NotFound;

export type CancelOutcome =
  { kind: 'cancelled'; job: Job } | { kind: 'refused'; job: Job; refusal: Refusal } | Unchanged | NotFound;

export type RetryOutcome =
  /** a new confirmation for the same ids, its card owed to the conversation */
  | { kind: 'retry_created'; job: Job; original: Job }
  | { kind: 'blocked'; original: Job; blockedBy: BlockedBy }
  | Unchanged
  | NotFound;

/** Asking to stop following a running job: the confirmation to show, or why not (nothing changes). */
export type AskForgetOutcome =
  { kind: 'confirm'; job: Job } | { kind: 'refused'; job: Job; refusal: Refusal } | Unchanged | NotFound;

/** Stopping following a running job (confirmed): it ends as abandoned and frees the environment. */
export type ForgetOutcome =
  { kind: 'abandoned'; job: Job } | { kind: 'refused'; job: Job; refusal: Refusal } | Unchanged | NotFound;

/** How the start of an approved job ended (after the turn). */
export type StartOutcome =
  | { kind: 'running'; job: Job }
  | { kind: 'start_failed'; job: Job }
  /** someone else (a re-sent invoke, a restart) claimed the start first, or the job is gone */
  | { kind: 'not_claimed'; job?: Job };

export type ResumeOutcome = { reconciled: number; tracked: number };

export type RecordCardOutcome = { kind: 'recorded'; job: Job } | { kind: 'kept'; job: Job } | NotFound;

export type FindOutcome = { kind: 'found'; job: Job } | NotFound;
