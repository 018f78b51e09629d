import type Database from 'better-sqlite3';
import { checkMove } from '../migration/lifecycle';
import {
  ACTIVE_STATES,
  systemClock,
  type AuditEntry,
  type Clock,
  type Job,
  type JobState,
  type JobStore,
  type Notice,
  type Person,
  type TransitionResult,
  type Plan,
  type PlanState,
} from '../migration/types';
import { StoreUnavailableError } from '../migration/storeUnavailable';
import { fromAuditRow, toAuditParams } from './auditRecord';
import { defaultBusyRetry, isBusy, SQLITE_BLOCKING_BUSY_MS, whenNotBusy, type BusyRetryOptions } from './busyRetry';
import { durabilityOf, type Durability } from './durability';
import { ConversationRefs } from './conversationRefs';
import { DuplicateRequestError } from '../migration/duplicateRequest';
import { fromRow, requestKey, toParams, type JobRow } from './jobRecord';
import { copyOf, patched } from './jobPatch';
import { decidedJson, fromPlanRow, planParams } from './planRecord';
import { preparePlanStatements } from './planStatements';
import { migrate } from './schema';
import { prepareJobStatements, type JobStatements } from './statements';
import { silentLogger, type StoreLogger } from './storeLogger';
import type { WriteHealth } from './writeHealth';

export interface SqliteStoreOptions {
  logger?: StoreLogger;
  /**
   * For `updatedAt` where the caller gives no time. A transition takes its audit entry's time, so the job and
   * its audit trail agree with the caller's clock (a fake one in tests).
   */
  clock?: Clock;
  /** how long a write waits for another process holding the lock (without blocking the event loop) */
  busyTimeoutMs?: number;
  /** told whether each write went through, for readiness */
  writeHealth?: WriteHealth;
}

type AuditInput = Omit<AuditEntry, 'jobId' | 'from' | 'to'>;

/** Thrown inside a relaxed write that finds its job past approval: rolled back and run again durably. */
const MUST_BE_DURABLE = Symbol('must be durable');

/**
 * JobStore on one SQLite file (or `:memory:`). better-sqlite3 is synchronous, so every method has finished
 * its commit before its promise resolves: fsynced (`synchronous = FULL`), except for a request still waiting
 * for approval, whose commit is fsynced with the next durable one (durability.ts).
 */
export class SqliteJobStore implements JobStore {
  private readonly st: JobStatements;
  private readonly plans: ReturnType<typeof preparePlanStatements>;
  private readonly refs: ConversationRefs;
  private readonly logger: StoreLogger;
  private readonly clock: Clock;
  /** runs a function inside BEGIN IMMEDIATE: the write lock is taken before the read, so a CAS cannot go stale */
  private readonly writeTx: Database.Transaction<(work: () => unknown) => unknown>;
  private readonly busy: BusyRetryOptions;
  private readonly health: WriteHealth | undefined;

  constructor(
    private readonly db: Database.Database,
    options: SqliteStoreOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The waiting for a lock is done asynchronously by whenNotBusy; SQLite itself only blocks for a moment.
    db.pragma(`busy_timeout = ${SQLITE_BLOCKING_BUSY_MS}`);
    this.busy = { ...defaultBusyRetry, waitMs: Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000)) };
    this.health = options.writeHealth;
    const schema = migrate(db);
    if (schema.from !== schema.to) this.logger.info(schema, 'job store schema migrated');
    this.st = prepareJobStatements(db);
    this.plans = preparePlanStatements(db);
    this.refs = new ConversationRefs(db, this.logger, () => this.clock.now().toISOString());
    this.writeTx = db.transaction((work: () => unknown) => work());
  }

  async createJob(job: Job, audit: AuditInput): Promise<Job> {
    return this.write(durabilityOf('create', job.state), () => {
      const stored: Job = { ...job, version: 1 };
      if (ACTIVE_STATES.includes(stored.state)) {
        const active = this.otherActive(stored.environment, stored.id);
        if (active) throw new Error(`environment ${stored.environment} already runs job ${active.id}`);
      }
      const params = toParams(stored);
      try {
        this.st.insert.run(params);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new Error(`job ${job.id} already exists`);
        const existing = params.request_key ? this.st.byRequest.get(params.request_key) : undefined;
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE' && existing)
          throw new DuplicateRequestError(fromRow(existing));
        throw error;
      }
      this.appendAudit(stored.id, null, stored.state, audit);
      return copyOf(params);
    });
  }

  async jobForRequest(conversationId: string, requestActivityId: string): Promise<Job | undefined> {
    const key = requestKey(conversationId, requestActivityId);
    return key === null ? undefined : this.serve(() => rowToJob(this.st.byRequest.get(key)));
  }

  async getJob(id: string): Promise<Job | undefined> {
    return this.serve(() => this.jobById(id));
  }

  async transition(
    id: string,
    from: readonly JobState[],
    to: JobState,
    patch: Partial<Job>,
    audit: AuditInput,
  ): Promise<TransitionResult> {
    return this.write('durable', () => this.transitionNow(id, from, to, patch, audit));
  }

  async update(
    id: string,
    patch: Partial<Omit<Job, 'state' | 'id'>>,
    expectVersion?: number,
  ): Promise<Job | undefined> {
    // The state decides the commit's durability, and SQLite cannot change that inside a transaction: read it
    // first, and check it again under the lock (another replica may have moved the job in between).
    const before = (await this.serve(() => this.st.byId.get(id)))?.state as JobState | undefined;
    const planned = before ? durabilityOf('update', before) : 'durable';
    return this.write(planned, (durability) => {
      const current = this.jobById(id);
      if (!current || (expectVersion !== undefined && current.version !== expectVersion)) return undefined;
      if (durability === 'relaxed' && durabilityOf('update', current.state) === 'durable') throw MUST_BE_DURABLE;
      const params = toParams(
        patched(current, patch, current.state, patch.updatedAt ?? this.clock.now().toISOString()),
      );
      const changes = this.st.casVersion.run({ ...params, expected_version: current.version }).changes;
      return changes === 1 ? copyOf(params) : undefined;
    });
  }

  async activeJob(environment: string): Promise<Job | undefined> {
    return this.serve(() => this.readable(this.st.activeIn.all(environment))[0]);
  }

  async jobsInStates(states: readonly JobState[]): Promise<Job[]> {
    return this.serve(() => this.readable(this.st.inStates.all(JSON.stringify(states))));
  }

  async queuedJobs(environment: string): Promise<Job[]> {
    return this.serve(() => this.readable(this.st.queuedIn.all(environment)));
  }

  async promoteNextQueued(environment: string, patch: Partial<Job>, audit: AuditInput): Promise<Job | undefined> {
    // One write transaction: the slot is read free, the first in line read and moved under the same lock.
    return this.write('durable', () => {
      if (this.otherActive(environment, '')) return undefined;
      const first = this.st.queuedIn.get(environment);
      if (!first) return undefined;
      const moved = this.transitionNow(first.id, ['queued'], 'approved', patch, audit);
      return moved.ok ? moved.job : undefined;
    });
  }

  async countJobsByState(): Promise<Partial<Record<JobState, number>>> {
    return this.serve(() => Object.fromEntries(this.st.countByState.all().map((r) => [r.state, r.n])));
  }

  async jobsWithPendingNotifications(): Promise<Job[]> {
    return this.serve(() => this.readable(this.st.pendingNotify.all()));
  }

  async listJobs(environment: string, limit: number): Promise<Job[]> {
    const rows = Math.max(0, Math.floor(limit));
    return this.serve(() => this.readable(this.st.newestIn.all(environment, rows)));
  }

  async lastCompletedFrom(environment: string, fromEventId: string): Promise<Job | undefined> {
    return this.serve(() => rowToJob(this.st.lastCompletedFrom.get(environment, fromEventId)));
  }

  async auditTrail(jobId: string): Promise<AuditEntry[]> {
    return this.serve(() => this.st.auditOf.all(jobId).map(fromAuditRow));
  }

  async saveConversationReference(conversationId: string, reference: unknown): Promise<void> {
    return this.mutate(() => this.refs.save(conversationId, reference));
  }

  async getConversationReference(conversationId: string): Promise<unknown | undefined> {
    return this.serve(() => this.refs.get(conversationId));
  }

  async deleteConversationReference(conversationId: string): Promise<void> {
    return this.mutate(() => this.refs.remove(conversationId));
  }

  async deleteConversationReferencesOfTeam(teamId: string): Promise<void> {
    return this.mutate(() => this.refs.removeTeam(teamId));
  }

  async markConversationBlocked(conversationId: string, reason: string): Promise<void> {
    return this.mutate(() => this.refs.block(conversationId, reason));
  }

  async isConversationBlocked(conversationId: string): Promise<boolean> {
    return this.serve(() => this.refs.isBlocked(conversationId));
  }

  async claimLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    const expires = now + Math.max(1, Math.floor(ttlMs));
    return this.write('durable', () => this.st.claimLease.run({ name, holder, now, expires }).changes === 1);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.mutate(() => this.st.releaseLease.run(name, holder));
  }

  async setConversationEnvironment(conversationId: string, environment: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.mutate(() => this.st.setConversationEnvironment.run(conversationId, environment, at));
  }

  async getConversationEnvironment(conversationId: string): Promise<string | undefined> {
    return this.serve(() => this.st.conversationEnvironment.get(conversationId)?.environment);
  }

  async createPlan(plan: Plan): Promise<Plan> {
    return this.write('durable', () => {
      this.plans.insert.run(planParams(plan));
      return fromPlanRow(this.plans.byId.get(plan.id)!);
    });
  }

  async getPlan(id: string): Promise<Plan | undefined> {
    return this.serve(() => {
      const row = this.plans.byId.get(id);
      return row ? fromPlanRow(row) : undefined;
    });
  }

  async decidePlan(id: string, state: Exclude<PlanState, 'pending'>, by: Person, at: string) {
    return this.write('durable', () => {
      if (this.plans.decide.run(state, decidedJson(by, at), id).changes === 0) return undefined;
      return fromPlanRow(this.plans.byId.get(id)!);
    });
  }

  async recordPlanCard(id: string, activityId: string): Promise<void> {
    await this.write('durable', () => this.plans.card.run(activityId, id));
  }

  async pendingPlans(environment: string): Promise<Plan[]> {
    return this.serve(() => this.plans.pending.all(environment).map(fromPlanRow));
  }

  async plansAwaitingSummary(environment: string): Promise<Plan[]> {
    return this.serve(() => this.plans.awaitingSummary.all(environment).map(fromPlanRow));
  }

  async markPlanSummarySent(id: string, at: string, owed?: { jobId: string; notice: Notice }): Promise<boolean> {
    return this.write('durable', () => {
      if (this.plans.summarySent.run(at, id).changes === 0) return false;
      const current = owed && this.jobById(owed.jobId);
      if (owed && current) {
        const params = toParams(patched(current, { outbox: [...current.outbox, owed.notice] }, current.state, at));
        // under this transaction's write lock: the version read is the version written over
        this.st.casVersion.run({ ...params, expected_version: current.version });
      }
      return true;
    });
  }

  isOpen(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // ------------------------------------------------------------------ inside a transaction

  private transitionNow(
    id: string,
    from: readonly JobState[],
    to: JobState,
    patch: Partial<Job>,
    audit: AuditInput,
  ): TransitionResult {
    const current = this.jobById(id);
    if (!current || !from.includes(current.state)) return { ok: false, reason: 'state', job: current };
    checkMove(current.state, to);
    if (ACTIVE_STATES.includes(to)) {
      const active = this.otherActive(current.environment, id);
      if (active) return { ok: false, reason: 'busy', job: current, active };
    }
    const params = toParams(patched(current, patch, to, patch.updatedAt ?? audit.at));
    let changes: number;
    try {
      changes = this.st.casState.run({
        ...params,
        from_json: JSON.stringify(from),
        expected_version: current.version,
      }).changes;
    } catch (error) {
      const busy = this.busyFromConstraint(error, current);
      if (busy) return busy;
      throw error;
    }
    if (changes !== 1) return { ok: false, reason: 'state', job: this.jobById(id) };
    this.appendAudit(id, current.state, to, audit);
    return { ok: true, job: copyOf(params) };
  }

  /** The unique index is the last line of defence: if it fires, the check above missed a writer. */
  private busyFromConstraint(error: unknown, current: Job): TransitionResult | undefined {
    if (sqliteCode(error) !== 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
    const active = this.otherActive(current.environment, current.id);
    if (!active) return undefined;
    this.logger.warn(
      { jobId: current.id, activeJobId: active.id, environment: current.environment },
      'one-at-a-time index refused a transition the check let through',
    );
    return { ok: false, reason: 'busy', job: current, active };
  }

  private appendAudit(jobId: string, from: JobState | null, to: JobState, audit: AuditInput): void {
    this.st.insertAudit.run(toAuditParams({ ...audit, jobId, from, to }));
  }

  private jobById(id: string): Job | undefined {
    return rowToJob(this.st.byId.get(id));
  }

  private otherActive(environment: string, exceptId: string): Job | undefined {
    return rowToJob(this.st.otherActiveIn.get(environment, exceptId));
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * One write transaction (BEGIN IMMEDIATE), waited for asynchronously while another writer holds the lock. A
   * relaxed one runs at `synchronous = NORMAL` and the connection is back at FULL afterwards, whatever happened;
   * if the work finds it must be durable after all, it runs again.
   */
  private async write<T>(durability: Durability, work: (durability: Durability) => T): Promise<T> {
    this.ensureOpen();
    try {
      const result = await whenNotBusy(() => this.writeOnce(durability, work), this.busy);
      this.health?.succeeded();
      return result;
    } catch (error) {
      throw this.writeFailure(error);
    }
  }

  /**
   * A write of its own outside a transaction (conversation references, which skip unchanged rows): its
   * failures count for readiness, its successes do not, since it may not have written at all.
   */
  private async mutate<T>(work: () => T): Promise<T> {
    this.ensureOpen();
    try {
      return await whenNotBusy(work, this.busy);
    } catch (error) {
      throw this.writeFailure(error);
    }
  }

  private async serve<T>(work: () => T): Promise<T> {
    this.ensureOpen();
    return whenNotBusy(work, this.busy);
  }

  private writeOnce<T>(durability: Durability, work: (durability: Durability) => T): T {
    if (durability === 'relaxed') {
      this.db.pragma('synchronous = NORMAL');
      try {
        return this.writeTx.immediate(() => work('relaxed')) as T;
      } catch (error) {
        if (error !== MUST_BE_DURABLE) throw error;
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    }
    return this.writeTx.immediate(() => work('durable')) as T;
  }

  /** A write the database refused (not a rule of the store's own) is the store being unavailable. */
  private writeFailure(error: unknown): unknown {
    if (error instanceof StoreUnavailableError) {
      this.health?.failed(error.message);
      return error;
    }
    const code = sqliteCode(error);
    if (!code || code.startsWith('SQLITE_CONSTRAINT')) return error;
    const message = (error as Error).message;
    this.health?.failed(`${code}: ${message}`.slice(0, 200));
    this.logger.warn({ code, err: message }, 'job store write failed');
    return isBusy(error)
      ? new StoreUnavailableError('busy', 'the database is locked by another writer')
      : new StoreUnavailableError('failed', `the database refused a write (${code})`);
  }

  /** Rows the bot cannot read are skipped with a log line, so one bad row does not break every command. */
  private readable(rows: JobRow[]): Job[] {
    const jobs: Job[] = [];
    for (const row of rows) {
      try {
        jobs.push(fromRow(row));
      } catch (error) {
        this.logger.warn({ jobId: row.id, err: (error as Error).message }, 'skipped a stored job that cannot be read');
      }
    }
    return jobs;
  }

  private ensureOpen(): void {
    if (!this.db.open) throw new Error('the job store is closed');
  }
}

function rowToJob(row: JobRow | undefined): Job | undefined {
  return row === undefined ? undefined : fromRow(row);
}

/**
 * Read by shape, not `instanceof`: the native addon keeps the SqliteError class of the first copy of
 * better-sqlite3 loaded in the process, which is not ours when modules are loaded twice (jest workers).
 */
function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
