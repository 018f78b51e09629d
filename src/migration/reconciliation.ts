/**
 * When a job ends, the source compared with the target in Dataverse: the counts side by side, and the registrations
 * whose contact did not arrive (source contacts minus target contacts). The review card names up to ten; `missing`
 * reads the whole list again. A comparison that cannot be proven (a read failed, or the app user's Read is not
 * organisation-wide, so rows may be hidden) says so instead of claiming "nothing missing".
 */
import type { DataverseFactsPort, EventCounts, Reading, RegistrationContact } from './dataverseFacts';
import type { DomainLogger } from './ports';
import type { Clock, CountPair, Job, JobStore, ReconciliationRecord } from './types';

export type { ReconciliationRecord } from './types';

/** Names shown on the review card; `missing` gives all of them. */
export const MISSING_ON_CARD = 10;
/** Up to this many missing, the FAQ's advice is to add them by hand; more, a new draft event and a rerun. */
export const FEW_MISSING = 10;

export type MissingList = { ok: true; names: string[] } | { ok: false; why: string };

/** Pure: the source's registrations whose contact has no registration in the target. */
export function missingContacts(
  source: readonly RegistrationContact[],
  target: readonly RegistrationContact[],
): RegistrationContact[] {
  const arrived = new Set(target.map((r) => r.contactId).filter((id): id is string => id !== null));
  return source.filter((r) => r.contactId !== null && !arrived.has(r.contactId));
}

export function contactLabel(r: RegistrationContact): string {
  return r.contactName?.trim() || `contact ${r.contactId ?? '(none)'}`;
}

/** Pure: the names, sorted so the card and `missing` list them in the same order. */
export function missingNames(missing: readonly RegistrationContact[]): string[] {
  return missing.map(contactLabel).sort((a, b) => a.localeCompare(b));
}

const valueOf = (r: Reading<number>): number | undefined => (r.ok ? r.value : undefined);

function pairs(source: EventCounts, target: EventCounts) {
  const pair = (k: keyof EventCounts): CountPair => ({ source: valueOf(source[k]), target: valueOf(target[k]) });
  return {
    registrations: pair('registrations'),
    sessionRegistrations: pair('sessionRegistrations'),
    attendeePasses: pair('attendeePasses'),
  };
}

export interface ReconcilerDeps {
  facts: DataverseFactsPort;
  store: JobStore;
  clock: Clock;
  logger: DomainLogger;
}

export class Reconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  /** Compares and stores the result on the job (its card owed again). */
  async reconcile(jobId: string): Promise<Job | undefined> {
    const { store, clock, facts, logger } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) return undefined;
    const [sourceCounts, targetCounts, list] = await Promise.all([
      facts.eventCounts(job.fromEventId),
      facts.eventCounts(job.toEventId),
      this.missing(job),
    ]);
    const record: ReconciliationRecord = {
      at: clock.now().toISOString(),
      ...pairs(sourceCounts, targetCounts),
      missingCount: list.ok ? list.names.length : undefined,
      missingNames: list.ok ? list.names.slice(0, MISSING_ON_CARD) : [],
      ...(list.ok ? {} : { why: list.why }),
    };
    logger.info({ jobId, missing: record.missingCount, why: record.why }, 'reconciled source with target');
    return store.update(jobId, { reconciliation: record, cardDirty: true });
  }

  /** Every missing registration's contact, read again from Dataverse. */
  async missing(job: Pick<Job, 'fromEventId' | 'toEventId'>): Promise<MissingList> {
    const { facts } = this.deps;
    const [access, source, target] = await Promise.all([
      facts.access(),
      facts.registrationContacts(job.fromEventId),
      facts.registrationContacts(job.toEventId, { includeCancelled: true }),
    ]);
    if (!source.ok) return { ok: false, why: `the outbound event's registrations could not be read: ${source.why}` };
    if (!target.ok) return { ok: false, why: `the real-time event's registrations could not be read: ${target.why}` };
    // A registration hidden from the app user would look missing (or, in the target, arrived): unproven either way.
    if (!access.ok) return { ok: false, why: `the app user's read access could not be verified (${access.why})` };
    if (!access.value.globalRead.msevtmgt_eventregistration)
      return {
        ok: false,
        why: 'the app user has no organisation-wide Read on msevtmgt_eventregistration, so rows it may not see would be left out',
      };
    return { ok: true, names: missingNames(missingContacts(source.value, target.value)) };
  }
}
