import type { JobState } from '../migration/types';

/**
 * Which commits wait for the disk. The database runs in WAL mode; a `durable` commit is fsynced before the
 * call returns (`synchronous = FULL`), a `relaxed` one is written to the WAL but fsynced only with the next
 * durable commit or checkpoint (`synchronous = NORMAL`). Both survive a crash of the process; only a power
 * cut or an OS crash can take back the relaxed commits since the last fsync, and never a durable one nor
 * anything written before it (the WAL is one file, synced up to its end).
 *
 * Relaxed: writing a request that still waits for approval (its creation and the card id recorded beside
 * it). Losing it costs its requester one re-typed `migrate`. Durable: every transition (an approval lost after
 * its card said "approved" could start the migration a second time) and every write to a job past approval.
 */
export type Durability = 'durable' | 'relaxed';

export type StoreWrite = 'create' | 'update' | 'transition';

/** `state` is the job's state when the write begins (for a create, the state it is created in). */
export function durabilityOf(write: StoreWrite, state: JobState): Durability {
  return write !== 'transition' && state === 'pending_approval' ? 'relaxed' : 'durable';
}
