import type { Scheduler } from '../src/migration/ports';
import type { Clock } from '../src/migration/types';

/**
 * Simulated time for an 8-hour job: a clock that only moves when told, and a scheduler whose timers fire
 * when the driver jumps the clock to them.
 */
export class FakeTime implements Clock, Scheduler {
  private ms: number;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(startMs: number) {
    this.ms = startMs;
  }

  now(): Date {
    return new Date(this.ms);
  }

  nowMs(): number {
    return this.ms;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.ms + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Jumps to the earliest timer and runs it; false when none is set. */
  fireNext(): boolean {
    let earliest: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.timers) if (!earliest || entry[1].at < earliest[1].at) earliest = entry;
    if (!earliest) return false;
    this.timers.delete(earliest[0]);
    this.ms = Math.max(this.ms, earliest[1].at);
    earliest[1].fn();
    return true;
  }
}
