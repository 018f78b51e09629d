import type { Notice, Person } from './types';

/**
 * A plan: several pairs asked for in one message, approved once, then run one after the other by the queue.
 * Each pair is an ordinary job (with the plan's id and its place on it); the plan keeps the order, the one
 * decision (approved or cancelled) and whether its summary went out.
 */

export type PlanState = 'pending' | 'approved' | 'cancelled';

export interface PlanPairRecord {
  jobId: string;
  fromEventId: string;
  toEventId: string;
  /** the names the pair was typed with (or found by), where known */
  fromName?: string;
  toName?: string;
}

export interface Plan {
  /** the first job's id: whoever creates the first job decides it, so replicas agree on it */
  id: string;
  environment: string;
  conversationId: string;
  tenantId?: string;
  requestedBy: Person;
  requestedAt: string;
  /** in the order typed, which is the order approved (and so the queue's order) */
  pairs: PlanPairRecord[];
  state: PlanState;
  decidedBy?: Person;
  decidedAt?: string;
  cardActivityId?: string;
  /** set once, by one conditional write: the summary is sent by whoever set it */
  summarySentAt?: string;
}

/** The parts of the store a plan needs; each decision one conditional write. */
export interface PlanStore {
  /** stores the plan, or returns the one stored with its id (the same request handled twice) */
  createPlan(plan: Plan): Promise<Plan>;
  getPlan(id: string): Promise<Plan | undefined>;
  /** pending -> approved/cancelled, only from pending: of two deciders one gets the plan, the other undefined */
  decidePlan(id: string, state: Exclude<PlanState, 'pending'>, by: Person, at: string): Promise<Plan | undefined>;
  recordPlanCard(id: string, activityId: string): Promise<void>;
  /** approved plans of the environment whose summary has not gone out */
  plansAwaitingSummary(environment: string): Promise<Plan[]>;
  /**
   * true for the one caller that marked the summary sent (summary_sent_at set only where it was empty); in
   * the same write, `owed` is put in that job's outbox, so a crash cannot leave it marked sent but never sent
   */
  markPlanSummarySent(id: string, at: string, owed?: { jobId: string; notice: Notice }): Promise<boolean>;
}
