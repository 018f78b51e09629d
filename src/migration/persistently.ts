import type { DomainLogger, Scheduler } from './ports';
import { isStoreUnavailable } from './storeUnavailable';

/**
 * A write that records what the service already did (the start call's answer) must not be lost to a brief store
 * failure: it is tried again, with growing pauses, for a bounded time. Anything else is thrown at once.
 */
export interface WriteRetryRules {
  totalMs: number;
  firstPauseMs: number;
  maxPauseMs: number;
}

export const defaultWriteRetry: WriteRetryRules = { totalMs: 30_000, firstPauseMs: 100, maxPauseMs: 2_000 };

export async function persistently<T>(
  write: () => Promise<T>,
  rules: WriteRetryRules,
  scheduler: Scheduler,
  logger: DomainLogger,
  what: object,
): Promise<T> {
  const until = Date.now() + rules.totalMs;
  let pause = rules.firstPauseMs;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (!isStoreUnavailable(err) || Date.now() + pause > until) throw err;
      logger.warn({ ...what, pauseMs: pause, err }, 'store write failed; trying again');
      await new Promise<void>((resolve) => scheduler.setTimeout(resolve, pause));
      pause = Math.min(rules.maxPauseMs, pause * 2);
    }
  }
}
