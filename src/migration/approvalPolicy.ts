import type { Job, Person } from './types';

/** Who may approve or cancel a request. Pure: the caller supplies the job, the person and the rules. */

export interface ApprovalRules {
  /** Entra object ids (lower case); empty = anyone in the conversation */
  approverIds: readonly string[];
  /** the requester may not approve their own request */
  requireSecondApprover: boolean;
}

/** Why a person may not act; worded by the catalogue (`policyText`). */
export type PolicyReason =
  'not_an_approver' | 'own_request' | 'not_requester_or_approver' | 'not_an_approver_to_forget';

export type PolicyDecision = { ok: true } | { ok: false; reason: PolicyReason; person: Person };

export function samePerson(a: Person, b: Person): boolean {
  if (a.aadObjectId && b.aadObjectId) return a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
  return a.id === b.id;
}

export function isListedApprover(person: Person, rules: ApprovalRules): boolean {
  if (rules.approverIds.length === 0) return true;
  const oid = person.aadObjectId?.toLowerCase();
  return oid !== undefined && rules.approverIds.includes(oid);
}

export function mayApprove(job: Job, person: Person, rules: ApprovalRules): PolicyDecision {
  if (!isListedApprover(person, rules)) {
    return { ok: false, reason: 'not_an_approver', person };
  }
  if (rules.requireSecondApprover && samePerson(job.requestedBy, person)) {
    return { ok: false, reason: 'own_request', person };
  }
  return { ok: true };
}

/** The requester can always withdraw a request; an approver can turn it down. */
export function mayCancel(job: Job, person: Person, rules: ApprovalRules): PolicyDecision {
  if (samePerson(job.requestedBy, person)) return { ok: true };
  if (rules.approverIds.length === 0 || isListedApprover(person, rules)) return { ok: true };
  return { ok: false, reason: 'not_requester_or_approver', person };
}

/**
 * Only an approver may stop following a job (with no approver list: anyone who could approve). The four-eyes
 * rule is about starting a migration, not about letting go of one, so the requester who approves may too.
 */
export function mayForget(person: Person, rules: ApprovalRules): PolicyDecision {
  return isListedApprover(person, rules) ? { ok: true } : { ok: false, reason: 'not_an_approver_to_forget', person };
}

/** A request past its time can no longer be approved, even before anything has marked it expired. */
export function isExpired(job: Job, now: Date): boolean {
  const expires = Date.parse(job.expiresAt);
  return Number.isFinite(expires) && now.getTime() >= expires;
}
