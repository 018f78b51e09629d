import type { PoolClient } from 'pg';

/**
 * Schema steps for PostgreSQL, applied in order; the table `schema_version` records how many have run.
 * Append new steps, never edit a released one. The states in the one-active index are written out (not
 * built from the life table) so that a released step never changes; the index test compares them with
 * ACTIVE_STATES and asks for a new step when the table changes.
 */
const STEPS: readonly string[] = [
  `
  CREATE TABLE jobs (
    seq            BIGSERIAL,
    id             TEXT PRIMARY KEY,
    environment    TEXT NOT NULL,
    state          TEXT NOT NULL,
    from_event_id  TEXT NOT NULL,
    to_event_id    TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    pending_notify INTEGER NOT NULL DEFAULT 0,
    data           TEXT NOT NULL,
    -- the request message a job was made for (conversation and activity id): Teams delivering the same
    -- message again, to any replica, cannot make a second job
    request_key    TEXT,
    -- the queue: when a job was queued (approval order); the first in line is read on every ending
    queued_at      TEXT
  );
  CREATE INDEX jobs_queued ON jobs(environment, queued_at, seq) WHERE state = 'queued';
  CREATE UNIQUE INDEX jobs_one_per_request ON jobs(request_key) WHERE request_key IS NOT NULL;
  CREATE UNIQUE INDEX jobs_one_active_per_environment
    ON jobs(environment) WHERE state IN ('approved', 'starting', 'running');
  CREATE INDEX jobs_by_environment ON jobs(environment, requested_at);
  CREATE INDEX jobs_by_state ON jobs(state);
  CREATE INDEX jobs_pending_notify ON jobs(pending_notify) WHERE pending_notify = 1;
  CREATE INDEX jobs_completed_from ON jobs(environment, from_event_id, requested_at) WHERE state = 'completed';

  CREATE TABLE audit (
    id          BIGSERIAL PRIMARY KEY,
    job_id      TEXT NOT NULL,
    at          TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    by_json     TEXT,
    note        TEXT,
    detail_json TEXT
  );
  CREATE INDEX audit_by_job ON audit(job_id, id);

  CREATE TABLE conversation_refs (
    conversation_id TEXT PRIMARY KEY,
    reference_json  TEXT,
    team_id         TEXT,
    updated_at      TEXT NOT NULL,
    blocked_reason  TEXT
  );
  CREATE INDEX conversation_refs_by_team ON conversation_refs(team_id) WHERE team_id IS NOT NULL;

  -- \`use <name>\`: a conversation's default environment (a channel's id covers every thread in it)
  CREATE TABLE conversation_environments (
    conversation_id TEXT PRIMARY KEY,
    environment     TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );

  -- who does a piece of work that must happen once (polling a job, delivering its notices) until when
  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
  );

  -- plans: several pairs in one message, approved once; what is decided later has columns of its own
  CREATE TABLE plans (
    id               TEXT PRIMARY KEY,
    environment      TEXT NOT NULL,
    state            TEXT NOT NULL,
    decided_json     TEXT,
    card_activity_id TEXT,
    summary_sent_at  TEXT,
    data             TEXT NOT NULL
  );
  CREATE INDEX plans_awaiting_summary ON plans(environment) WHERE state = 'approved' AND summary_sent_at IS NULL;
  `,
];

export const PG_SCHEMA_VERSION = STEPS.length;

/** any constant: the key of the advisory lock every replica takes around its migration */
const MIGRATION_LOCK = 7_402_151;

/**
 * Brings the database up to PG_SCHEMA_VERSION inside one transaction holding an advisory lock: a second
 * replica starting at the same moment waits for the first and then finds nothing left to do.
 */
export async function migratePg(client: PoolClient): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0];
    const current = row?.version ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new Error(
        `the database has schema version ${current}, newer than this bot knows (${PG_SCHEMA_VERSION}); upgrade the bot`,
      );
    }
    for (let step = current; step < PG_SCHEMA_VERSION; step++) await client.query(STEPS[step]);
    if (row) await client.query('UPDATE schema_version SET version = $1', [PG_SCHEMA_VERSION]);
    else await client.query('INSERT INTO schema_version (version) VALUES ($1)', [PG_SCHEMA_VERSION]);
    await client.query('COMMIT');
    return { from: current, to: PG_SCHEMA_VERSION };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
