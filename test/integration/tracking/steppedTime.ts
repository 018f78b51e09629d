import type { Scheduler } from '../../../src/migration/ports';
import type { Clock } from '../../../src/migration/types';

/**
 * One simulated clock for the bot and the simulator, and a scheduler whose timers fire only when the test says:
 * an hours-long migration runs in as many steps as the bot takes status reads.
 */
export class SteppedTime implements Clock, Scheduler {
  private timers = new Map<number, { at: number; fn: () => void }>();
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

/** Like `eventually`, but checks every millisecond: a stepped run waits on real I/O hundreds of times. */
export async function soon<T>(check: () => T | Promise<T>, what: string, ms = 5_000): Promise<Exclude<T, false | undefined>> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
