import type { Scheduler } from '../migration/ports';
import type { Clock } from '../migration/types';

/**
 * Simulated time for hours-long migrations: one clock for the bot and the simulator (pass `{ now: () =>
 * time.nowMs() }` as the simulator's clock), and a scheduler whose timers fire only when the driver says, so an
 * 8-hour job runs in as many steps as the bot takes status reads. Used by tests and the bench.
 */
export class SteppedTime implements Clock, Scheduler {
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;

  constructor(private t: number) {}

  now(): Date {
    return new Date(this.t);
  }

  nowMs(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves the clock without firing anything (a due timer fires at the next `fireNext`). */
  advance(ms: number): void {
    this.t += ms;
  }

  pending(): number {
    return this.timers.size;
  }

  /** Moves the clock to the earliest timer and fires it; false when none is set. */
  fireNext(): boolean {
    let next: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.timers) if (!next || entry[1].at < next[1].at) next = entry;
    if (!next) return false;
    this.timers.delete(next[0]);
    this.t = Math.max(this.t, next[1].at);
    next[1].fn();
    return true;
  }
}
