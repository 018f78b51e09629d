import type Database from 'better-sqlite3';
import { ACTIVE_STATES, sqlList } from '../migration/lifecycle';
import type { AuditRow } from './auditRecord';
import type { JobParams, JobRow } from './jobRecord';

/** the slot-holding states, from the job's life table (the schema's partial index is tested against it) */
const ACTIVE_SQL = sqlList(ACTIVE_STATES);
const JOB_COLUMNS = `id, environment, state, from_event_id, to_event_id, requested_at, updated_at, version, pending_notify, data`;

/** Every SQL statement of the jobs side, prepared once. */
export function prepareJobStatements(db: Database.Database) {
  return {
    insert: db.prepare<JobParams>(
      `INSERT INTO jobs (${JOB_COLUMNS}, request_key, queued_at)
       VALUES (@id, @environment, @state, @from_event_id, @to_event_id, @requested_at, @updated_at, @version,
               @pending_notify, @data, @request_key, @queued_at)`,
    ),
    /** the compare-and-set: only moves a job that is still in one of the expected states at the expected version */
    casState: db.prepare<JobParams & { from_json: string; expected_version: number }>(
      `UPDATE jobs SET state = @state, environment = @environment, from_event_id = @from_event_id,
              to_event_id = @to_event_id, requested_at = @requested_at, updated_at = @updated_at,
              version = @version, pending_notify = @pending_notify, data = @data, queued_at = @queued_at
       WHERE id = @id AND version = @expected_version
         AND state IN (SELECT value FROM json_each(@from_json))`,
    ),
    casVersion: db.prepare<JobParams & { expected_version: number }>(
      `UPDATE jobs SET environment = @environment, from_event_id = @from_event_id, to_event_id = @to_event_id,
              requested_at = @requested_at, updated_at = @updated_at, version = @version,
              pending_notify = @pending_notify, data = @data, queued_at = @queued_at
       WHERE id = @id AND version = @expected_version`,
    ),
    byId: db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`),
    byRequest: db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE request_key = ?`),
    activeIn: db.prepare<[string], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = ? AND state IN ${ACTIVE_SQL} ORDER BY requested_at LIMIT 1`,
    ),
    otherActiveIn: db.prepare<[string, string], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = ? AND id <> ? AND state IN ${ACTIVE_SQL} LIMIT 1`,
    ),
    inStates: db.prepare<[string], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE state IN (SELECT value FROM json_each(?))
       ORDER BY requested_at, rowid`,
    ),
    /** the queue of an environment in approval order (rowid breaks a tie of equal times) */
    queuedIn: db.prepare<[string], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = ? AND state = 'queued' ORDER BY queued_at, rowid`,
    ),
    countByState: db.prepare<[], { state: string; n: number }>(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`),
    pendingNotify: db.prepare<[], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE pending_notify = 1 ORDER BY updated_at, rowid`,
    ),
    newestIn: db.prepare<[string, number], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = ? ORDER BY requested_at DESC, rowid DESC LIMIT ?`,
    ),
    lastCompletedFrom: db.prepare<[string, string], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE environment = ? AND from_event_id = ? AND state = 'completed'
       ORDER BY requested_at DESC, rowid DESC LIMIT 1`,
    ),
    insertAudit: db.prepare<AuditRow>(
      `INSERT INTO audit (job_id, at, from_state, to_state, by_json, note, detail_json)
       VALUES (@job_id, @at, @from_state, @to_state, @by_json, @note, @detail_json)`,
    ),
    claimLease: db.prepare<{ name: string; holder: string; now: number; expires: number }>(
      `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
    ),
    releaseLease: db.prepare<[string, string]>(`DELETE FROM leases WHERE name = ? AND holder = ?`),
    setConversationEnvironment: db.prepare<[string, string, string]>(
      `INSERT INTO conversation_environments (conversation_id, environment, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(conversation_id) DO UPDATE SET environment = excluded.environment, updated_at = excluded.updated_at`,
    ),
    conversationEnvironment: db.prepare<[string], { environment: string }>(
      'SELECT environment FROM conversation_environments WHERE conversation_id = ?',
    ),
    auditOf: db.prepare<[string], AuditRow>(
      `SELECT job_id, at, from_state, to_state, by_json, note, detail_json FROM audit WHERE job_id = ? ORDER BY id`,
    ),
  };
}

export type JobStatements = ReturnType<typeof prepareJobStatements>;
