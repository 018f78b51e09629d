/**
 * `migrate <outbound> new`: the real-time event the bot makes for a job (the tool's Step 1, done for the person).
 * What will be made is read from the outbound event when the request is made and stored on the job with the id
 * the new row will have, chosen by the bot and derived from the job id: a restart between the create call and
 * recording it reads that id and finds the event instead of making another.
 */
import { createHash } from 'node:crypto';
import type { Reading } from './dataverseFacts';

/** What the new event gets, and nothing else (it is a real-time Draft). */
export interface DraftEventSpec {
  name: string;
  /** as Dataverse gave them (time-zone independent ISO times) */
  startDate: string | null;
  endDate: string | null;
  /** msevtmgt_eventtimezone, an integer code */
  timeZone: number | null;
}

/** Kept on the job: the bot makes its target. */
export interface DraftTarget {
  spec: DraftEventSpec;
  /** when the event was created (or found, made by this job or the one it retries); absent: not yet */
  createdAt?: string;
  /** true when the event was found already there (a restart, a retry) instead of created by this job */
  foundExisting?: boolean;
  /** opens the event for review */
  link?: string;
}

/** The answer of a create call. */
export type CreateAnswer =
  | { kind: 'created' }
  /** Dataverse says a row with that id is there already (412, or a duplicate-key error) */
  | { kind: 'exists' }
  | { kind: 'failed'; why: string };

/** The privileges the app user needs to make the event. */
export interface CreatePrivileges {
  create: boolean;
  write: boolean;
}

/** The Dataverse side of making a draft; implemented in src/dataverse/. Never throws. */
export interface DraftEventsPort {
  /** the outbound event's name, dates and time zone; `undefined` when Dataverse has no such row (or hides it) */
  sourceEvent(id: string): Promise<Reading<(DraftEventSpec & { realTime: boolean }) | undefined>>;
  /** Create and Write on msevtmgt_event for the app user */
  createPrivileges(): Promise<Reading<CreatePrivileges>>;
  /** whether a row with that id is there */
  exists(id: string): Promise<Reading<boolean>>;
  /** POST msevtmgt_events with this id, as a real-time Draft with only the spec's fields */
  create(id: string, spec: DraftEventSpec): Promise<CreateAnswer>;
  link(id: string): string;
}

/** Any fixed UUID: the namespace of the bot's draft ids (RFC 4122 name-based, version 5). */
const DRAFT_NAMESPACE = '5d1c6a2e-7f0b-4c54-9e51-0b7d6f1c2a93';

/** The id of the event a job makes: the same job id always gives the same event id. */
export function draftEventId(jobId: string): string {
  const ns = Buffer.from(DRAFT_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(`draft-event:${jobId}`, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Why `migrate <id> new` is refused before any card: nothing is stored. */
export type DraftRefusal =
  | { kind: 'no_dataverse' }
  | { kind: 'no_privilege'; missing: Array<'Create' | 'Write'> }
  | { kind: 'privileges_unread'; why: string }
  | { kind: 'source_unread'; why: string }
  | { kind: 'source_not_found'; id: string }
  | { kind: 'source_real_time'; name: string };

/** The checks before a request for a made target: the privileges, then what the outbound event gives. */
export async function planDraft(
  port: DraftEventsPort | undefined,
  sourceId: string,
): Promise<{ ok: true; spec: DraftEventSpec } | { ok: false; refusal: DraftRefusal }> {
  if (!port) return { ok: false, refusal: { kind: 'no_dataverse' } };
  const [privileges, source] = await Promise.all([port.createPrivileges(), port.sourceEvent(sourceId)]);
  if (!privileges.ok) return { ok: false, refusal: { kind: 'privileges_unread', why: privileges.why } };
  const missing = missingPrivileges(privileges.value);
  if (missing.length > 0) return { ok: false, refusal: { kind: 'no_privilege', missing } };
  if (!source.ok) return { ok: false, refusal: { kind: 'source_unread', why: source.why } };
  if (!source.value) return { ok: false, refusal: { kind: 'source_not_found', id: sourceId } };
  const { realTime, ...spec } = source.value;
  if (realTime) return { ok: false, refusal: { kind: 'source_real_time', name: spec.name } };
  return { ok: true, spec };
}

export function missingPrivileges(p: CreatePrivileges): Array<'Create' | 'Write'> {
  return [...(p.create ? [] : ['Create' as const]), ...(p.write ? [] : ['Write' as const])];
}
