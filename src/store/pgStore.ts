import { Pool, type PoolClient } from 'pg';
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
import { fromAuditRow, toAuditParams, type AuditRow } from './auditRecord';
import { durabilityOf } from './durability';
import { DuplicateRequestError } from '../migration/duplicateRequest';
import { fromRow, requestKey, toParams, type JobParams, type JobRow } from './jobRecord';
import { copyOf, patched } from './jobPatch';
import { PgConversationRefs } from './pgConversationRefs';
import { isConnectionLoss, isPgUnavailable, pgCode, pgConstraint, toUnavailable } from './pgErrors';
import { migratePg } from './pgSchema';
import { decidedJson, fromPlanRow, PLAN_COLUMNS, planParams, type PlanRow } from './planRecord';
import { silentLogger, type StoreLogger } from './storeLogger';
import type { WriteHealth } from './writeHealth';

export interface PgStoreOptions {
  logger?: StoreLogger;
  /** for `updatedAt` where the caller gives no time (a transition takes its audit entry's) */
  clock?: Clock;
  /** told whether writes (and the reachability probe) went through, for readiness */
  writeHealth?: WriteHealth;
  /** connections in the pool; each replica keeps its own */
  poolMax?: number;
  /** how often the database is probed while a writeHealth listens */
  probeEveryMs?: number;
}

type AuditInput = Omit<AuditEntry, 'jobId' | 'from' | 'to'>;

const JOB_COLUMNS = `id, environment, state, from_event_id, to_event_id, requested_at, updated_at, version, pending_notify, data`;
const PROBE_TIMEOUT_MS = 1000;

/**
 * Opens a pool on `url` (a postgres:// URL; `sslmode` in it decides TLS, and `sslmode=require` against a
 * server without TLS fails here rather than falling back to plain text) and brings the schema up to date.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgJobStore> {
  const logger = options.logger ?? silentLogger;
  const pool = new Pool({
    connectionString: url,
    max: options.poolMax ?? 5,
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 10_000,
    // a server gone without closing the connection (a network cut) must not hold a turn for ever
    query_timeout: 15_000,
    keepAlive: true,
    application_name: 'event-migration-bot',
  });
  // An idle connection the server drops (a restart) is reported here; without a listener it would crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'a pooled database connection was lost'));
  try {
    const client = await pool.connect();
    try {
      const schema = await migratePg(client);
      if (schema.from !== schema.to) logger.info(schema, 'job store schema migrated');
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot open the PostgreSQL database: ${(error as Error).message}`);
  }
  return new PgJobStore(pool, options);
}

/**
 * JobStore on PostgreSQL: the same rows as the SQLite store (indexed columns plus the job as JSON), every
 * conditional write a transaction that locks the job's row first, and moves into a slot-holding state
 * serialised per environment by an advisory lock (the partial unique index stays the last line of defence).
 */
export class PgJobStore implements JobStore {
  private readonly logger: StoreLogger;
  private readonly clock: Clock;
  private readonly health: WriteHealth | undefined;
  private readonly refs: PgConversationRefs;
  private readonly probe: NodeJS.Timeout | undefined;
  private probing = false;
  /** the last failure seen was the database out of reach, which the probe's next answer ends */
  private unreachable = false;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    options: PgStoreOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.health = options.writeHealth;
    this.refs = new PgConversationRefs(pool, this.logger, () => this.clock.now().toISOString());
    if (this.health) {
      this.probe = setInterval(() => void this.probeOnce(), options.probeEveryMs ?? 500);
      this.probe.unref();
    }
  }

  async createJob(job: Job, audit: AuditInput): Promise<Job> {
    const stored: Job = { ...job, version: 1 };
    const params = toParams(stored);
    try {
      await this.tx(async (c) => {
        if (durabilityOf('create', stored.state) === 'relaxed') await c.query('SET LOCAL synchronous_commit = off');
        if (ACTIVE_STATES.includes(stored.state)) {
          const active = await this.lockSlot(c, stored.environment, stored.id);
          if (active) throw new Error(`environment ${stored.environment} already runs job ${active.id}`);
        }
        await c.query(
          `INSERT INTO jobs (${JOB_COLUMNS}, request_key, queued_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [...rowValues(params), params.request_key, params.queued_at],
        );
        await appendAudit(c, stored.id, null, stored.state, audit);
      });
    } catch (error) {
      if (pgCode(error) === '23505' && pgConstraint(error) === 'jobs_pkey')
        throw new Error(`job ${job.id} already exists`);
      if (pgCode(error) === '23505' && pgConstraint(error) === 'jobs_one_per_request' && params.request_key) {
        const existing = await this.jobByRequestKey(params.request_key);
        if (existing) throw new DuplicateRequestError(existing);
      }
      throw error;
    }
    return copyOf(params);
  }

  async jobForRequest(conversationId: string, requestActivityId: string): Promise<Job | undefined> {
    const key = requestKey(conversationId, requestActivityId);
    return key === null ? undefined : this.jobByRequestKey(key);
  }

  private async jobByRequestKey(key: string): Promise<Job | undefined> {
    const rows = await this.read<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE request_key = $1`, [key]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async countJobsByState(): Promise<Partial<Record<JobState, number>>> {
    const rows = await this.read<{ state: JobState; n: number }>(
      'SELECT state, count(*)::int AS n FROM jobs GROUP BY state',
      [],
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  async getJob(id: string): Promise<Job | undefined> {
    const rows = await this.read<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async transition(
    id: string,
    from: readonly JobState[],
    to: JobState,
    patch: Partial<Job>,
    audit: AuditInput,
  ): Promise<TransitionResult> {
    try {
      return await this.tx((c) => this.transitionIn(c, id, from, to, patch, audit));
    } catch (error) {
      // The unique index is the last line of defence: if it fires, a writer got past the advisory lock.
      if (pgCode(error) !== '23505' || pgConstraint(error) !== 'jobs_one_active_per_environment') throw error;
      const current = await this.getJob(id);
      const active = current && (await this.otherActive(current.environment, id));
      if (!current || !active) throw error;
      this.logger.warn({ jobId: id, activeJobId: active.id }, 'one-at-a-time index refused a transition');
      return { ok: false, reason: 'busy', job: current, active };
    }
  }

  async update(
    id: string,
    patch: Partial<Omit<Job, 'state' | 'id'>>,
    expectVersion?: number,
  ): Promise<Job | undefined> {
    return this.tx(async (c) => {
      const current = await lockedJob(c, id);
      if (!current || (expectVersion !== undefined && current.version !== expectVersion)) return undefined;
      if (durabilityOf('update', current.state) === 'relaxed') await c.query('SET LOCAL synchronous_commit = off');
      const params = toParams(
        patched(current, patch, current.state, patch.updatedAt ?? this.clock.now().toISOString()),
      );
      await writeRow(c, params);
      return copyOf(params);
    });
  }

  async activeJob(environment: string): Promise<Job | undefined> {
    return this.jobs(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = $1 AND state = ANY($2::text[])
       ORDER BY requested_at LIMIT 1`,
      [environment, [...ACTIVE_STATES]],
    ).then((jobs) => jobs[0]);
  }

  async jobsInStates(states: readonly JobState[]): Promise<Job[]> {
    return this.jobs(`SELECT ${JOB_COLUMNS} FROM jobs WHERE state = ANY($1::text[]) ORDER BY requested_at, seq`, [
      [...states],
    ]);
  }

  async queuedJobs(environment: string): Promise<Job[]> {
    return this.jobs(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = $1 AND state = 'queued' ORDER BY queued_at, seq`,
      [environment],
    );
  }

  async promoteNextQueued(environment: string, patch: Partial<Job>, audit: AuditInput): Promise<Job | undefined> {
    try {
      return await this.tx(async (c) => {
        // the slot lock first: of replicas promoting at once, the second sees the first's job holding the slot
        if (await this.lockSlot(c, environment, '')) return undefined;
        const first = await c.query<{ id: string }>(
          `SELECT id FROM jobs WHERE environment = $1 AND state = 'queued' ORDER BY queued_at, seq LIMIT 1`,
          [environment],
        );
        const id = first.rows[0]?.id;
        if (!id) return undefined;
        const moved = await this.transitionIn(c, id, ['queued'], 'approved', patch, audit);
        return moved.ok ? moved.job : undefined;
      });
    } catch (error) {
      // the one-active index: another writer took the slot past the lock; nothing was moved
      if (pgCode(error) === '23505' && pgConstraint(error) === 'jobs_one_active_per_environment') return undefined;
      throw error;
    }
  }

  async jobsWithPendingNotifications(): Promise<Job[]> {
    return this.jobs(`SELECT ${JOB_COLUMNS} FROM jobs WHERE pending_notify = 1 ORDER BY updated_at, seq`, []);
  }

  async listJobs(environment: string, limit: number): Promise<Job[]> {
    return this.jobs(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = $1 ORDER BY requested_at DESC, seq DESC LIMIT $2`,
      [environment, Math.max(0, Math.floor(limit))],
    );
  }

  async lastCompletedFrom(environment: string, fromEventId: string): Promise<Job | undefined> {
    const rows = await this.read<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = $1 AND from_event_id = $2 AND state = 'completed'
       ORDER BY requested_at DESC, seq DESC LIMIT 1`,
      [environment, fromEventId],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async auditTrail(jobId: string): Promise<AuditEntry[]> {
    const rows = await this.read<AuditRow>(
      `SELECT job_id, at, from_state, to_state, by_json, note, detail_json FROM audit WHERE job_id = $1 ORDER BY id`,
      [jobId],
    );
    return rows.map(fromAuditRow);
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

  async setConversationEnvironment(conversationId: string, environment: string): Promise<void> {
    await this.mutate(() =>
      this.pool.query(
        `INSERT INTO conversation_environments (conversation_id, environment, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (conversation_id) DO UPDATE SET environment = excluded.environment, updated_at = excluded.updated_at`,
        [conversationId, environment, this.clock.now().toISOString()],
      ),
    );
  }

  async getConversationEnvironment(conversationId: string): Promise<string | undefined> {
    const rows = await this.read<{ environment: string }>(
      'SELECT environment FROM conversation_environments WHERE conversation_id = $1',
      [conversationId],
    );
    return rows[0]?.environment;
  }

  async createPlan(plan: Plan): Promise<Plan> {
    const p = planParams(plan);
    await this.mutate(() =>
      this.pool.query(
        `INSERT INTO plans (${PLAN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [p.id, p.environment, p.state, p.decided_json, p.card_activity_id, p.summary_sent_at, p.data],
      ),
    );
    return (await this.getPlan(plan.id))!;
  }

  async getPlan(id: string): Promise<Plan | undefined> {
    const rows = await this.read<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1`, [id]);
    return rows[0] ? fromPlanRow(rows[0]) : undefined;
  }

  async decidePlan(id: string, state: Exclude<PlanState, 'pending'>, by: Person, at: string) {
    const rows = await this.mutate(
      async () =>
        (
          await this.pool.query<PlanRow>(
            `UPDATE plans SET state = $1, decided_json = $2 WHERE id = $3 AND state = 'pending' RETURNING ${PLAN_COLUMNS}`,
            [state, decidedJson(by, at), id],
          )
        ).rows,
    );
    return rows[0] ? fromPlanRow(rows[0]) : undefined;
  }

  async recordPlanCard(id: string, activityId: string): Promise<void> {
    await this.mutate(() => this.pool.query('UPDATE plans SET card_activity_id = $1 WHERE id = $2', [activityId, id]));
  }

  async pendingPlans(environment: string): Promise<Plan[]> {
    const rows = await this.read<PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE environment = $1 AND state = 'pending'`,
      [environment],
    );
    return rows.map(fromPlanRow);
  }

  async plansAwaitingSummary(environment: string): Promise<Plan[]> {
    const rows = await this.read<PlanRow>(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE environment = $1 AND state = 'approved' AND summary_sent_at IS NULL`,
      [environment],
    );
    return rows.map(fromPlanRow);
  }

  async markPlanSummarySent(id: string, at: string, owed?: { jobId: string; notice: Notice }): Promise<boolean> {
    return this.tx(async (c) => {
      const marked = await c.query('UPDATE plans SET summary_sent_at = $1 WHERE id = $2 AND summary_sent_at IS NULL', [
        at,
        id,
      ]);
      if (marked.rowCount !== 1) return false;
      const current = owed && (await lockedJob(c, owed.jobId));
      if (owed && current)
        await writeRow(c, toParams(patched(current, { outbox: [...current.outbox, owed.notice] }, current.state, at)));
      return true;
    });
  }

  async markConversationBlocked(conversationId: string, reason: string): Promise<void> {
    return this.mutate(() => this.refs.block(conversationId, reason));
  }

  async isConversationBlocked(conversationId: string): Promise<boolean> {
    return this.serve(() => this.refs.isBlocked(conversationId));
  }

  async claimLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    // the database's clock decides expiry, so replicas whose clocks differ still agree
    const result = await this.mutate(() =>
      this.pool.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= now()`,
        [name, holder, Math.max(1, Math.floor(ttlMs))],
      ),
    );
    return result.rowCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.mutate(() => this.pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]));
  }

  isOpen(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probe) clearInterval(this.probe);
    await this.pool.end();
  }

  // ------------------------------------------------------------------ inside a transaction

  private async transitionIn(
    c: PoolClient,
    id: string,
    from: readonly JobState[],
    to: JobState,
    patch: Partial<Job>,
    audit: AuditInput,
  ): Promise<TransitionResult> {
    const current = await lockedJob(c, id);
    if (!current || !from.includes(current.state)) return { ok: false, reason: 'state', job: current };
    checkMove(current.state, to);
    if (ACTIVE_STATES.includes(to)) {
      const active = await this.lockSlot(c, current.environment, id);
      if (active) return { ok: false, reason: 'busy', job: current, active };
    }
    const params = toParams(patched(current, patch, to, patch.updatedAt ?? audit.at));
    await writeRow(c, params);
    await appendAudit(c, id, current.state, to, audit);
    return { ok: true, job: copyOf(params) };
  }

  /** Takes the environment's slot lock until the transaction ends; the job already holding the slot, if any. */
  private async lockSlot(c: PoolClient, environment: string, exceptId: string): Promise<Job | undefined> {
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('slot:' || $1))`, [environment]);
    const rows = await c.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = $1 AND id <> $2 AND state = ANY($3::text[]) LIMIT 1`,
      [environment, exceptId, [...ACTIVE_STATES]],
    );
    return rows.rows[0] ? fromRow(rows.rows[0]) : undefined;
  }

  private async otherActive(environment: string, exceptId: string): Promise<Job | undefined> {
    const rows = await this.read<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = $1 AND id <> $2 AND state = ANY($3::text[]) LIMIT 1`,
      [environment, exceptId, [...ACTIVE_STATES]],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  // ------------------------------------------------------------------ plumbing

  /** One transaction on one pooled connection; a database that cannot be reached is StoreUnavailableError. */
  private async tx<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    this.ensureOpen();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.health?.succeeded();
      this.unreachable = false;
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw this.failure(error);
    } finally {
      client.release(broken);
    }
  }

  private async mutate<T>(work: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    try {
      return await work();
    } catch (error) {
      throw this.failure(error);
    }
  }

  private async serve<T>(work: () => Promise<T>): Promise<T> {
    return this.mutate(work);
  }

  private async read<R extends object>(sql: string, values: unknown[]): Promise<R[]> {
    return this.serve(async () => (await this.pool.query<R>(sql, values)).rows);
  }

  /** Rows the bot cannot read are skipped with a log line, so one bad row does not break every command. */
  private async jobs(sql: string, values: unknown[]): Promise<Job[]> {
    const jobs: Job[] = [];
    for (const row of await this.read<JobRow>(sql, values)) {
      try {
        jobs.push(fromRow(row));
      } catch (error) {
        this.logger.warn({ jobId: row.id, err: (error as Error).message }, 'skipped a stored job that cannot be read');
      }
    }
    return jobs;
  }

  private failure(error: unknown): unknown {
    if (!isPgUnavailable(error)) return error;
    const unavailable = toUnavailable(error);
    this.health?.failed(unavailable.message);
    // a refusal (out of disk) stays until a write succeeds; a lost connection until the database answers
    this.unreachable = isConnectionLoss(error);
    this.logger.warn({ code: pgCode(error), err: (error as Error).message }, 'job store call failed');
    return unavailable;
  }

  /** Readiness follows the database even while nobody writes: 503 soon after it goes, 200 once it is back. */
  private async probeOnce(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('connection timeout: the database did not answer')),
          PROBE_TIMEOUT_MS,
        );
      });
      await Promise.race([this.pool.query('SELECT 1'), late]);
      if (this.unreachable) this.health?.succeeded();
      this.unreachable = false;
    } catch (error) {
      this.unreachable = true;
      this.health?.failed(`the database cannot be reached (${pgCode(error) ?? 'no answer'})`);
    } finally {
      clearTimeout(timer);
      this.probing = false;
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the job store is closed');
  }
}

async function lockedJob(c: PoolClient, id: string): Promise<Job | undefined> {
  const rows = await c.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1 FOR UPDATE`, [id]);
  return rows.rows[0] ? fromRow(rows.rows[0]) : undefined;
}

async function writeRow(c: PoolClient, params: JobParams): Promise<void> {
  await c.query(
    `UPDATE jobs SET environment = $2, state = $3, from_event_id = $4, to_event_id = $5, requested_at = $6,
            updated_at = $7, version = $8, pending_notify = $9, data = $10, queued_at = $11
     WHERE id = $1`,
    [...rowValues(params), params.queued_at],
  );
}

async function appendAudit(c: PoolClient, jobId: string, from: JobState | null, to: JobState, audit: AuditInput) {
  const row = toAuditParams({ ...audit, jobId, from, to });
  await c.query(
    `INSERT INTO audit (job_id, at, from_state, to_state, by_json, note, detail_json)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.job_id, row.at, row.from_state, row.to_state, row.by_json, row.note, row.detail_json],
  );
}

function rowValues(p: JobParams): unknown[] {
  return [
    p.id,
    p.environment,
    p.state,
    p.from_event_id,
    p.to_event_id,
    p.requested_at,
    p.updated_at,
    p.version,
    p.pending_notify,
    p.data,
  ];
}
