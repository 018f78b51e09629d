import type { DraftTarget } from './draftTarget';
import type { Job, Person } from './types';

export interface NewJobInput {
  environment: string;
  fromEventId: string;
  toEventId: string;
  requester: Person;
  conversationId: string;
  tenantId?: string;
  retryOf?: string;
  requestActivityId?: string;
  /** one pair of a plan: the plan's id and the pair's place in it */
  planId?: string;
  planIndex?: number;
  /** the bot makes the target: what it will be (the job's toEventId is its id) */
  draftTarget?: DraftTarget;
}

/** A request as it is first stored: waiting for approval until the card expires. */
export function newJob(input: NewJobInput, at: { id: string; now: Date; approvalTtlMinutes: number }): Job {
  const now = at.now.toISOString();
  return {
    id: at.id,
    environment: input.environment,
    fromEventId: input.fromEventId,
    toEventId: input.toEventId,
    state: 'pending_approval',
    requestedBy: input.requester,
    requestedAt: now,
    expiresAt: new Date(at.now.getTime() + at.approvalTtlMinutes * 60_000).toISOString(),
    stopExistingIfJobRunning: false,
    conversationId: input.conversationId,
    tenantId: input.tenantId,
    retryOf: input.retryOf,
    requestActivityId: input.requestActivityId,
    ...(input.draftTarget ? { draftTarget: input.draftTarget } : {}),
    ...(input.planId === undefined ? {} : { planId: input.planId, planIndex: input.planIndex }),
    progress: {},
    tracking: { consecutiveErrors: 0, lostContactWarned: false, stallWarned: false, milestonesPosted: [], samples: [] },
    outbox: [],
    cardDirty: false,
    version: 0,
    updatedAt: now,
  };
}
