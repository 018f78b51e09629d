/**
 * The domain's vocabulary and the small interfaces through which it talks to the outside.
 * Nothing here knows about Teams, HTTP or SQL: `events-api/`, `store/` and `teams/` implement these.
 */

import type { DraftTarget } from './draftTarget';
import type { JobState } from './lifecycle';
import type { Drift, GateDecision } from './preflightGate';
import type { CheckEvidence, PreflightCheckId } from './preflightEvidence';

export type { ChecklistItemId } from './checklist';

export type { JobState } from './lifecycle';
export { ACTIVE_STATES, TERMINAL_STATES } from './lifecycle';

/** Someone in Teams. `aadObjectId` is the Entra object id used by APPROVER_IDS. */
export interface Person {
  id: string;
  name: string;
  aadObjectId?: string;
}

/** What the service last told us about the job. */
export interface JobProgress {
  serviceState?: ServiceState;
  rawState?: string;
  processed?: number;
  total?: number;
  failed?: number;
  percent?: number;
  /** registrations a second, measured between status reads */
  throughput?: number;
  /** ISO time the bot expects the job to end */
  eta?: string;
  lastCheckedAt?: string;
  /** last time the service reported this job (a reading about it, not "no job" or another job) */
  lastReportedAt?: string;
  /** last time the counts moved */
  lastProgressAt?: string;
  errors?: string[];
  /** shortened raw body when the shape was not understood */
  rawSummary?: string;
}

/** Bookkeeping of the tracker, kept with the job so a restart continues where it was. */
export interface TrackingState {
  consecutiveErrors: number;
  firstErrorAt?: string;
  lostContactWarned: boolean;
  stallWarned: boolean;
  milestonesPosted: number[];
  /** samples (time, processed) for the throughput estimate; a short window */
  samples: Array<{ at: string; processed: number }>;
  nextPollAt?: string;
  /** consecutive readings saying the service has no job (absent: none), and when the first of them came */
  noJobReadings?: number;
  firstNoJobAt?: string;
}

/**
 * A message waiting to be delivered to the job's conversation (written with the transition that caused it).
 * It carries what happened and the values of that moment; it is worded when it is delivered.
 */
export type NoticeValues =
  | { kind: 'milestone'; percent: number; progress: JobProgress }
  | { kind: 'stall'; minutes: number; progress: JobProgress }
  | { kind: 'lost_contact'; since: string; lastError?: string }
  | { kind: 'back_in_contact'; state: JobState; progress: JobProgress }
  | { kind: 'completed_alert'; progress: JobProgress }
  | { kind: 'ended_alert'; state: JobState; progress: JobProgress; lastError?: string }
  | { kind: 'start_result'; lastError?: string }
  | { kind: 'lost_alert'; since: string; progress: JobProgress }
  /** a queued job started by itself once the migration before it ended */
  | { kind: 'queue_started' }
  /** a queued job not started: the checks read again before its start failed */
  | { kind: 'queue_held'; heldFor: Exclude<GateDecision, { ok: true }> }
  /** the last job of a plan ended: each pair's ending and the counts */
  | { kind: 'plan_summary'; summary: PlanSummary };

/** What a plan came to, pair by pair, as its summary message says it. */
export interface PlanSummary {
  planId: string;
  pairs: Array<{
    jobId: string;
    fromEventId: string;
    toEventId: string;
    fromName?: string;
    toName?: string;
    state: JobState;
    processed?: number;
    failed?: number;
  }>;
  /** pairs that ended completed or completed with errors */
  migrated: number;
  /** pairs that ended any other way */
  failed: number;
}

export type Notice = NoticeValues & {
  id: string;
  /** post into the card's thread (true) or as a new top-level post (false) */
  inThread: boolean;
  /** ISO time it was queued, for the operators' outbox age (absent on notices stored before it was kept) */
  queuedAt?: string;
};

export interface Job {
  id: string;
  /** the Events API environment this job runs in (derived from the endpoint, never the token) */
  environment: string;
  fromEventId: string;
  toEventId: string;
  state: JobState;
  requestedBy: Person;
  requestedAt: string;
  expiresAt: string;
  approvedBy?: Person;
  approvedAt?: string;
  stopExistingIfJobRunning: boolean;
  /** the conversation the card lives in (key into the stored conversation references) */
  conversationId: string;
  tenantId?: string;
  /** the Teams activity id of the job's card, updated in place */
  cardActivityId?: string;
  startedAt?: string;
  endedAt?: string;
  /** who ended the job by hand (cancelled it), for the card everyone sees */
  endedBy?: Person;
  /** the last error in words a user can act on */
  lastError?: string;
  /** when it went into its environment's queue (approval order: the queue's order) */
  queuedAt?: string;
  /** how many were in line before it (the running one and the queued ones) when it was asked for or queued */
  aheadInQueue?: number;
  /** when it left the queue for its start (a status older than this is about an earlier run) */
  promotedAt?: string;
  /** why a queued job was held instead of started (the checks read again before its start) */
  heldFor?: Exclude<GateDecision, { ok: true }>;
  /** one pair of a plan: the plan's id and the pair's place in it (0 first) */
  planId?: string;
  planIndex?: number;
  /** the state this job last had on its plan's card: the plan card is redrawn when it changes, not every poll */
  planCardState?: JobState;
  /** the job this one retries */
  retryOf?: string;
  /** the Teams activity that asked for it; the same activity delivered again makes no second job */
  requestActivityId?: string;
  progress: JobProgress;
  tracking: TrackingState;
  /** messages still to deliver; drained by the notifier */
  outbox: Notice[];
  /** the card must be redrawn (state or progress changed since it was last sent) */
  cardDirty: boolean;
  /** what Dataverse said about the two events (absent without DATAVERSE_URL) */
  preflight?: PreflightRecord;
  /** source against target once the job ended (absent without DATAVERSE_URL) */
  reconciliation?: ReconciliationRecord;
  /** `migrate <id> new`: the bot makes the target (`toEventId`, derived from the job id) before starting */
  draftTarget?: DraftTarget;
  /** the target's registrations as counted in Dataverse, for a status answer without counts */
  dataverseCount?: { registrations: number; at: string };
  /** optimistic-concurrency counter, bumped on every write */
  version: number;
  updatedAt: string;
}

export interface AuditEntry {
  jobId: string;
  at: string;
  from: JobState | null;
  to: JobState;
  by?: Person;
  note?: string;
  /** what the service answered, shortened; never a secret */
  detail?: unknown;
}

export type TransitionResult =
  | { ok: true; job: Job }
  /** the job was not in one of the expected states (someone else moved it first) */
  | { ok: false; reason: 'state'; job: Job | undefined }
  /** the environment already has an active job (one-at-a-time) */
  | { ok: false; reason: 'busy'; job: Job | undefined; active: Job };

/** Durable storage. Every method returns only once the write is on disk. */
export interface JobStore extends PlanStore {
  /** throws DuplicateRequestError when a job of the same conversation has the same `requestActivityId` */
  createJob(job: Job, audit: Omit<AuditEntry, 'jobId' | 'from' | 'to'>): Promise<Job>;
  /** the job made by that request activity in that conversation */
  jobForRequest(conversationId: string, requestActivityId: string): Promise<Job | undefined>;
  getJob(id: string): Promise<Job | undefined>;
  /**
   * Atomically: if the job is in one of `from`, apply `patch` and move it to `to`, append an audit entry.
   * Moving into an active state fails with `busy` when another job of the environment is active.
   */
  transition(
    id: string,
    from: readonly JobState[],
    to: JobState,
    patch: Partial<Job>,
    audit: Omit<AuditEntry, 'jobId' | 'from' | 'to'>,
  ): Promise<TransitionResult>;
  /** Patch non-state fields; fails (returns undefined) when `expectVersion` is given and stale. */
  update(id: string, patch: Partial<Omit<Job, 'state' | 'id'>>, expectVersion?: number): Promise<Job | undefined>;
  activeJob(environment: string): Promise<Job | undefined>;
  jobsInStates(states: readonly JobState[]): Promise<Job[]>;
  /** jobs with undelivered notices or a dirty card */
  jobsWithPendingNotifications(): Promise<Job[]>;
  /** newest first */
  listJobs(environment: string, limit: number): Promise<Job[]>;
  /** the newest job that moved `fromEventId` successfully (state completed) */
  lastCompletedFrom(environment: string, fromEventId: string): Promise<Job | undefined>;
  auditTrail(jobId: string): Promise<AuditEntry[]>;
  /** the queued jobs of the environment, in approval order (first in line first) */
  queuedJobs(environment: string): Promise<Job[]>;
  /**
   * The queue's one move, one conditional write: when no job of the environment holds the slot, its first queued
   * job (approval order) moves to `approved` with `patch`. Of several replicas asking at once one gets the job,
   * the others undefined; undefined too when the slot is held or nobody waits.
   */
  promoteNextQueued(
    environment: string,
    patch: Partial<Job>,
    audit: Omit<AuditEntry, 'jobId' | 'from' | 'to'>,
  ): Promise<Job | undefined>;
  /** how many jobs are in each state, every environment together (for the operators' metrics) */
  countJobsByState(): Promise<Partial<Record<JobState, number>>>;

  saveConversationReference(conversationId: string, reference: unknown): Promise<void>;
  getConversationReference(conversationId: string): Promise<unknown | undefined>;
  deleteConversationReference(conversationId: string): Promise<void>;
  /** `use <name>`: the environment a conversation (a channel: every thread in it) works in unless told */
  setConversationEnvironment(conversationId: string, environment: string): Promise<void>;
  getConversationEnvironment(conversationId: string): Promise<string | undefined>;
  /** drops every reference saved with this `teamId` (all channels and threads of a team the bot left) */
  deleteConversationReferencesOfTeam(teamId: string): Promise<void>;
  /** conversations the bot may no longer post to (403 from the connector) */
  markConversationBlocked(conversationId: string, reason: string): Promise<void>;
  isConversationBlocked(conversationId: string): Promise<boolean>;

  /**
   * Work that must be done by one replica at a time (polling a job, delivering its notices) is leased: true
   * when `holder` now holds `name` for `ttlMs` from now, because it was free, had expired, or was already
   * `holder`'s (a renewal). Expiry is judged by the store's clock, so a holder that dies frees it by itself.
   */
  claimLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Lets go of `name` if `holder` holds it, so another replica need not wait for the expiry. */
  releaseLease(name: string, holder: string): Promise<void>;

  /** true while the store can serve (for /readyz) */
  isOpen(): boolean;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- the Events API, as the domain sees it

export type ServiceState =
  'queued' | 'running' | 'completed' | 'completed_with_errors' | 'failed' | 'stopped' | 'no_job' | 'unknown';

/** One reading of `GET .../obmMigration/status`, normalised by the tolerant parser. */
export interface StatusReading {
  state: ServiceState;
  /** the value the service gave for the state, as sent */
  rawState?: string;
  processed?: number;
  total?: number;
  failed?: number;
  percent?: number;
  fromEventId?: string;
  toEventId?: string;
  errors: string[];
  startedAt?: string;
  completedAt?: string;
  httpStatus: number;
  /** the body, shortened to a few hundred characters, for the audit trail and the card when not understood */
  rawSummary: string;
}

export interface StartOptions {
  stopExistingIfJobRunning: boolean;
}

export interface StartResult {
  httpStatus: number;
  /** the body, shortened */
  rawSummary: string;
}

export type EventsApiErrorKind =
  | 'unauthorized' // 401/403: bad or expired token, or Origin refused
  | 'job_running' // 409 or a 4xx that says a job is running
  | 'bad_request' // 400: ids refused
  | 'not_found' // 404: wrong endpoint
  | 'unavailable' // 5xx/429/network/timeouts after the retry budget
  | 'bad_response' // a body that could not be read at all
  | 'unexpected'; // any other status

/** A failed Events API call, described in words a user can act on. Never carries the token. */
export class EventsApiError extends Error {
  constructor(
    readonly kind: EventsApiErrorKind,
    message: string,
    readonly httpStatus: number | undefined,
    readonly attempts: number,
    readonly rawSummary?: string,
    /** when no HTTP answer came: what went wrong on the way ("timeout", "connection refused", ...) */
    readonly networkReason?: string,
  ) {
    super(message);
    this.name = 'EventsApiError';
  }
}

export interface EventsApi {
  /** throws EventsApiError */
  start(fromEventId: string, toEventId: string, options: StartOptions): Promise<StartResult>;
  /** throws EventsApiError only when the service could not be read; an unknown shape is a reading with state `unknown` */
  status(): Promise<StatusReading>;
}

// ---------------------------------------------------------------- time

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The pre-flight evidence kept on a job: read once the card is posted, and again at Approve. */
export interface PreflightOverride {
  by: Person;
  at: string;
  reason: string;
  failed: PreflightCheckId[];
}

export interface PreflightRecord {
  status: 'checking' | 'done';
  startedAt: string;
  checkedAt?: string;
  evidence?: CheckEvidence[];
  /** what changed between the card and the last Approve */
  drift?: Drift[];
  override?: PreflightOverride;
}

/** Source against target in Dataverse, kept on a job once it ends. */
export interface CountPair {
  source?: number;
  target?: number;
}

export interface ReconciliationRecord {
  at: string;
  registrations: CountPair;
  sessionRegistrations: CountPair;
  attendeePasses: CountPair;
  /** undefined when the lists could not be compared (see `why`) */
  missingCount?: number;
  /** the first names (or contact ids) of the missing registrations */
  missingNames: string[];
  /** why the comparison is not proven, in words */
  why?: string;
}

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
  /** plans of the environment not decided yet (the restart and the sweep finish approvals cut short) */
  pendingPlans(environment: string): Promise<Plan[]>;
  /** approved plans of the environment whose summary has not gone out */
  plansAwaitingSummary(environment: string): Promise<Plan[]>;
  /**
   * true for the one caller that marked the summary sent (summary_sent_at set only where it was empty); in
   * the same write, `owed` is put in that job's outbox, so a crash cannot leave it marked sent but never sent
   */
  markPlanSummarySent(id: string, at: string, owed?: { jobId: string; notice: Notice }): Promise<boolean>;
}
