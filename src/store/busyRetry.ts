import { StoreUnavailableError } from '../migration/storeUnavailable';

/**
 * better-sqlite3 is synchronous: with SQLite's own busy timeout, a write waiting for a lock another process
 * holds would freeze the whole event loop (health checks, every other conversation) for as long as it waits.
 * So SQLite gives up at once (a busy timeout of a few ms) and the wait happens here, between attempts,
 * asynchronously. When the lock is still held after `waitMs`, the caller gets a StoreUnavailableError('busy').
 */
export interface BusyRetryOptions {
  waitMs: number;
  /** first pause between attempts; doubles up to maxPauseMs */
  firstPauseMs: number;
  maxPauseMs: number;
}

export const defaultBusyRetry: BusyRetryOptions = { waitMs: 5_000, firstPauseMs: 10, maxPauseMs: 200 };

/** how long SQLite itself may block the thread on a lock before it reports SQLITE_BUSY */
export const SQLITE_BLOCKING_BUSY_MS = 5;

export async function whenNotBusy<T>(work: () => T, options: BusyRetryOptions): Promise<T> {
  const until = Date.now() + options.waitMs;
  let pause = options.firstPauseMs;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() + pause > until)
        throw new StoreUnavailableError(
          'busy',
          `the database stayed locked by another writer for ${options.waitMs} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(options.maxPauseMs, pause * 2);
    }
  }
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
