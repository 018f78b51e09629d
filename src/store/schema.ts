import type Database from 'better-sqlite3';

/**
 * Schema steps, applied in order; `PRAGMA user_version` records how many have run.
 * Append new steps, never edit a released one: an existing database only runs the steps it has not seen.
 */
const STEPS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    environment    TEXT NOT NULL,
    state          TEXT NOT NULL,
    from_event_id  TEXT NOT NULL,
    to_event_id    TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    pending_notify INTEGER NOT NULL DEFAULT 0,
    data           TEXT NOT NULL
  );
  -- the one-at-a-time rule, enforced by the database whatever the code above it does
  CREATE UNIQUE INDEX jobs_one_active_per_environment
    ON jobs(environment) WHERE state IN ('approved', 'starting', 'running');
  CREATE INDEX jobs_by_environment ON jobs(environment, requested_at);
  CREATE INDEX jobs_by_state ON jobs(state);
  CREATE INDEX jobs_pending_notify ON jobs(pending_notify) WHERE pending_notify = 1;

  CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    updated_at      TEXT NOT NULL,
    blocked_reason  TEXT
  );
  `,
  `
  -- the source event's last completed migration, read on every \`migrate\`: without it the read walks every job
  -- the environment ever had
  CREATE INDEX jobs_completed_from ON jobs(environment, from_event_id, requested_at) WHERE state = 'completed';
  `,
  `
  -- the request message a job was made for (conversation and activity id): Teams delivering the same
  -- message again, to any replica, cannot make a second job
  ALTER TABLE jobs ADD COLUMN request_key TEXT;
  CREATE UNIQUE INDEX jobs_one_per_request ON jobs(request_key) WHERE request_key IS NOT NULL;
  `,
  `
  -- who does a piece of work that must happen once (polling a job, delivering its notices) until when (ms since
  -- the epoch); several processes on one file share it
  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  -- \`use <name>\`: a conversation's default environment (a channel's id covers every thread in it)
  CREATE TABLE conversation_environments (
    conversation_id TEXT PRIMARY KEY,
    environment     TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  `,
  `
  -- the queue: when a job was queued (approval order); the first in line is read on every ending
  ALTER TABLE jobs ADD COLUMN queued_at TEXT;
  CREATE INDEX jobs_queued ON jobs(environment, queued_at) WHERE state = 'queued';
  `,
  `
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

export const SCHEMA_VERSION = STEPS.length;

/** Brings the database up to SCHEMA_VERSION; safe when two processes open the same file at once. */
export function migrate(db: Database.Database): { from: number; to: number } {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `the database has schema version ${current}, newer than this bot knows (${SCHEMA_VERSION}); upgrade the bot`,
      );
    }
    for (let step = current; step < SCHEMA_VERSION; step++) db.exec(STEPS[step]);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return { from: current, to: SCHEMA_VERSION };
  });
  // immediate: the version is read under the write lock, so a second process waits and then sees it done
  return run.immediate();
}
