/**
 * What a simulated migration leaves in Dataverse: for every job the Events API simulator ran, the target event gets
 * one registration per source registration migrated so far (not cancelled ones), minus those left out on purpose, so
 * the service can say "completed" while a few never arrived. With them come what the tool also moves: the sessions
 * and passes (as soon as the job started), the arrived contacts' session registrations, and the arrived
 * registrations' attendee passes.
 */
import { createHash } from 'node:crypto';
import type { SimRow } from './odataFilter';
import type { SimData } from './tables';

export interface MigrationProgress {
  fromEventId: string;
  toEventId: string;
  /** registrations migrated so far */
  processed: number;
}

/** A stable id for (target event, source row). */
function derivedId(toEventId: string, sourceId: unknown): string {
  const h = createHash('sha1')
    .update(`${toEventId}/${String(sourceId)}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `count` indexes spread evenly over `length` items. */
export function spreadIndexes(length: number, count: number): Set<number> {
  const out = new Set<number>();
  const n = Math.min(length, Math.max(0, count));
  for (let k = 0; k < n; k++) out.add(Math.floor(((k + 0.5) * length) / n));
  return out;
}

type Sets = Record<string, Map<string, SimRow>>;

function put(sets: Sets, set: string, key: string, row: SimRow): void {
  (sets[set] ??= new Map()).set(String(row[key]), row);
}

function migrateJob(data: SimData, job: MigrationProgress, leaveOut: number, sets: Sets): void {
  const to = job.toEventId;
  const rows = (set: string) => data[set] ?? [];
  for (const s of rows('msevtmgt_sessions').filter((r) => r._msevtmgt_event_value === job.fromEventId))
    put(sets, 'msevtmgt_sessions', 'msevtmgt_sessionid', {
      ...s,
      msevtmgt_sessionid: derivedId(to, s.msevtmgt_sessionid),
      _msevtmgt_event_value: to,
    });
  for (const p of rows('msevtmgt_passes').filter((r) => r._msevtmgt_eventid_value === job.fromEventId))
    put(sets, 'msevtmgt_passes', 'msevtmgt_passid', {
      ...p,
      msevtmgt_passid: derivedId(to, p.msevtmgt_passid),
      _msevtmgt_eventid_value: to,
    });

  const source = rows('msevtmgt_eventregistrations').filter(
    (r) => r._msevtmgt_eventid_value === job.fromEventId && r.msevtmgt_iscanceled !== true,
  );
  const skipped = spreadIndexes(source.length, leaveOut);
  const arrived = source.slice(0, Math.min(source.length, job.processed)).filter((_, i) => !skipped.has(i));
  const arrivedIds = new Set(arrived.map((r) => r.msevtmgt_eventregistrationid));
  const arrivedContacts = new Set(arrived.map((r) => r._msevtmgt_contactid_value));
  for (const r of arrived)
    put(sets, 'msevtmgt_eventregistrations', 'msevtmgt_eventregistrationid', {
      ...r,
      msevtmgt_eventregistrationid: derivedId(to, r.msevtmgt_eventregistrationid),
      _msevtmgt_eventid_value: to,
      statuscode: 1,
      msevtmgt_iscanceled: false,
    });
  for (const sr of rows('msevtmgt_sessionregistrations'))
    if (sr._msevtmgt_event_value === job.fromEventId && arrivedContacts.has(sr._msevtmgt_contactid_value))
      put(sets, 'msevtmgt_sessionregistrations', 'msevtmgt_sessionregistrationid', {
        ...sr,
        msevtmgt_sessionregistrationid: derivedId(to, sr.msevtmgt_sessionregistrationid),
        _msevtmgt_sessionid_value: derivedId(to, sr._msevtmgt_sessionid_value),
        _msevtmgt_event_value: to,
      });
  for (const ap of rows('msevtmgt_attendeepasses'))
    if (ap._msevtmgt_eventid_value === job.fromEventId && arrivedIds.has(ap._msevtmgt_eventregistrationid_value))
      put(sets, 'msevtmgt_attendeepasses', 'msevtmgt_attendeepassid', {
        ...ap,
        msevtmgt_attendeepassid: derivedId(to, ap.msevtmgt_attendeepassid),
        _msevtmgt_eventid_value: to,
        _msevtmgt_eventregistrationid_value: derivedId(to, ap._msevtmgt_eventregistrationid_value),
        _msevtmgt_pass_value: derivedId(to, ap._msevtmgt_pass_value),
      });
}

/** The rows the jobs have added, by entity set (a rerun into the same target adds nothing twice). */
export function migratedRows(data: SimData, jobs: readonly MigrationProgress[], leaveOut: number): SimData {
  const sets: Sets = {};
  for (const job of jobs) migrateJob(data, job, leaveOut, sets);
  return Object.fromEntries(Object.entries(sets).map(([set, rows]) => [set, [...rows.values()]]));
}
