/**
 * What a simulated migration leaves in Dataverse: for every job the Events API simulator ran, the target event gets
 * one registration per source registration migrated so far (not cancelled ones), minus those left out on purpose, so
 * the service can say "completed" while a few never arrived.
 */
import { createHash } from 'node:crypto';
import type { SimRow } from './odataFilter';

export interface MigrationProgress {
  fromEventId: string;
  toEventId: string;
  /** registrations migrated so far */
  processed: number;
}

/** A stable registration id for (target, source registration). */
function derivedId(toEventId: string, sourceRegistrationId: string): string {
  const h = createHash('sha1').update(`${toEventId}/${sourceRegistrationId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `count` indexes spread evenly over `length` items. */
export function spreadIndexes(length: number, count: number): Set<number> {
  const out = new Set<number>();
  const n = Math.min(length, Math.max(0, count));
  for (let k = 0; k < n; k++) out.add(Math.floor(((k + 0.5) * length) / n));
  return out;
}

export function migratedRegistrations(
  stored: readonly SimRow[],
  jobs: readonly MigrationProgress[],
  leaveOut: number,
): SimRow[] {
  const byId = new Map<string, SimRow>();
  for (const job of jobs) {
    const source = stored.filter(
      (r) => r._msevtmgt_eventid_value === job.fromEventId && r.msevtmgt_iscanceled !== true,
    );
    const skipped = spreadIndexes(source.length, leaveOut);
    const arrived = source.slice(0, Math.min(source.length, job.processed));
    arrived.forEach((r, index) => {
      if (skipped.has(index)) return;
      const id = derivedId(job.toEventId, String(r.msevtmgt_eventregistrationid));
      byId.set(id, {
        ...r,
        msevtmgt_eventregistrationid: id,
        _msevtmgt_eventid_value: job.toEventId,
        statuscode: 1,
        msevtmgt_iscanceled: false,
      });
    });
  }
  return [...byId.values()];
}
