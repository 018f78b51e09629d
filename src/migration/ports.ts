import type { Job, Notice, Plan } from './types';

/** How the domain reaches people. Implemented by the Teams layer; a successor SDK implements it again. */

export type DeliveryResult =
  | { status: 'sent'; activityId?: string }
  /** the conversation refuses the bot (403): stop notifying it, keep tracking the job */
  | { status: 'blocked'; reason: string }
  /** no conversation reference is known for the job */
  | { status: 'no_conversation' }
  /** still failing after the sender's own retries: try again at the next flush */
  | { status: 'failed'; reason: string };

export interface Notifier {
  /** Redraw the job's card in place (or post it anew when it has no card, or the old one is gone). */
  showCard(job: Job): Promise<DeliveryResult>;
  post(job: Job, notice: Notice): Promise<DeliveryResult>;
  /** Redraw a plan's card in place with its pairs as they are (nothing when it has no card yet). */
  showPlanCard(plan: Plan, jobs: readonly Job[]): Promise<DeliveryResult>;
}

/** Timers, injectable so that a simulated 8-hour job runs in milliseconds. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Structured logging as the domain needs it (pino satisfies it). */
export interface DomainLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/**
 * Runs work with fields every log line inside it carries (a job's id, a turn's activity), however deep the line is
 * written: the Events API client's retries, the notifier's sends. Nested scopes add to the outer one.
 */
export interface LogScope {
  run<T>(bindings: Record<string, string | undefined>, work: () => Promise<T>): Promise<T>;
}

export const NO_LOG_SCOPE: LogScope = { run: (_bindings, work) => work() };
