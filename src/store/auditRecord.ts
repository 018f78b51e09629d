import type { AuditEntry, JobState, Person } from '../migration/types';
import { isJobState } from './jobRecord';

/** Audit details are what a service answered; a few KB is plenty to understand it later. */
export const MAX_DETAIL_CHARS = 4096;

export interface AuditRow {
  job_id: string;
  at: string;
  from_state: string | null;
  to_state: string;
  by_json: string | null;
  note: string | null;
  detail_json: string | null;
}

export function toAuditParams(entry: AuditEntry): AuditRow {
  return {
    job_id: entry.jobId,
    at: entry.at,
    from_state: entry.from,
    to_state: entry.to,
    by_json: entry.by === undefined ? null : JSON.stringify(entry.by),
    note: entry.note ?? null,
    detail_json: detailJson(entry.detail),
  };
}

/** The detail as JSON, or a shortened preview of it when it is too long (or cannot be turned into JSON). */
export function detailJson(detail: unknown): string | null {
  if (detail === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(detail);
  } catch {
    text = undefined; // cycles, BigInt: keep what String() can say
  }
  if (text !== undefined && text.length <= MAX_DETAIL_CHARS) return text;
  const preview = text ?? String(detail);
  return JSON.stringify({ truncated: true, preview: preview.slice(0, MAX_DETAIL_CHARS - 100) });
}

export function fromAuditRow(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    jobId: row.job_id,
    at: row.at,
    from: isJobState(row.from_state) ? row.from_state : null,
    // written only from a JobState; not checked again, so an old row with a retired state still shows
    to: row.to_state as JobState,
  };
  const by = parseOrUndefined(row.by_json);
  if (isPerson(by)) entry.by = by;
  if (row.note !== null) entry.note = row.note;
  if (row.detail_json !== null) entry.detail = parseOrUndefined(row.detail_json) ?? row.detail_json;
  return entry;
}

function parseOrUndefined(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPerson(value: unknown): value is Person {
  if (typeof value !== 'object' || value === null) return false;
  const person = value as Record<string, unknown>;
  return typeof person.id === 'string' && typeof person.name === 'string';
}
