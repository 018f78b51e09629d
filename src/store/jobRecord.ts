import { isJobState as isKnownState } from '../migration/lifecycle';
import type { Job, JobState } from '../migration/types';

/** A row of the `jobs` table as better-sqlite3 returns it. */
export interface JobRow {
  id: string;
  environment: string;
  state: string;
  from_event_id: string;
  to_event_id: string;
  requested_at: string;
  updated_at: string;
  version: number;
  pending_notify: number;
  data: string;
}

/** The values bound into INSERT/UPDATE statements of `jobs`: a row whose state is known to be valid. */
export type JobParams = Omit<JobRow, 'state'> & {
  state: JobState;
  request_key: string | null;
  queued_at: string | null;
};

/** The key of the request message: activity ids are only unique within a conversation. */
export function requestKey(conversationId: string, requestActivityId: string | undefined): string | null {
  return requestActivityId ? `${conversationId}\n${requestActivityId}` : null;
}

export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && isKnownState(value);
}

/** Whether the notifier has something to do for this job; kept as an indexed column so the query is cheap. */
export function hasPendingNotifications(job: Pick<Job, 'outbox' | 'cardDirty'>): boolean {
  return job.outbox.length > 0 || job.cardDirty;
}

export function toParams(job: Job): JobParams {
  return {
    id: job.id,
    environment: job.environment,
    state: job.state,
    from_event_id: job.fromEventId,
    to_event_id: job.toEventId,
    requested_at: job.requestedAt,
    updated_at: job.updatedAt,
    version: job.version,
    pending_notify: hasPendingNotifications(job) ? 1 : 0,
    data: JSON.stringify(job),
    request_key: requestKey(job.conversationId, job.requestActivityId),
    queued_at: job.queuedAt ?? null,
  };
}

/**
 * Reads a row back into a fresh Job. The columns win over the JSON for the fields the database enforces
 * rules on, and a row that is not a job at all is reported instead of handed on half-broken.
 */
export function fromRow(row: JobRow): Job {
  const parsed = parseJson(row.data, row.id);
  if (!isJobState(row.state)) throw corrupt(row.id, `unknown state "${row.state}"`);
  const problem = missingField(parsed);
  if (problem) throw corrupt(row.id, problem);
  return {
    ...(parsed as unknown as Job),
    id: row.id,
    environment: row.environment,
    state: row.state,
    version: row.version,
  };
}

function parseJson(text: string, id: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt(id, 'its data is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw corrupt(id, 'its data is not an object');
  return value as Record<string, unknown>;
}

function missingField(data: Record<string, unknown>): string | undefined {
  const strings = ['fromEventId', 'toEventId', 'requestedAt', 'conversationId', 'updatedAt'];
  const badString = strings.find((key) => typeof data[key] !== 'string');
  if (badString) return `"${badString}" is not a string`;
  if (!Array.isArray(data.outbox)) return '"outbox" is not a list';
  if (typeof data.cardDirty !== 'boolean') return '"cardDirty" is not a boolean';
  if (!isObject(data.progress)) return '"progress" is not an object';
  if (!isObject(data.tracking)) return '"tracking" is not an object';
  if (!isObject(data.requestedBy)) return '"requestedBy" is not an object';
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(id: string, why: string): Error {
  return new Error(`stored job ${id} cannot be read: ${why}`);
}
