/** Faults the simulator injects on demand. A fault with `times` is used up; one without stays until cleared. */

export type SimRoute = 'start' | 'status';
export type FaultTarget = SimRoute | 'both';

export type Fault =
  | { kind: 'status5xx'; code?: number; times?: number }
  | { kind: 'start5xx'; code?: number; times?: number }
  | { kind: '429'; retryAfterSec?: number | string; times?: number; on?: FaultTarget }
  | { kind: 'slow'; ms: number; times?: number; on?: FaultTarget }
  | { kind: 'malformed'; times?: number }
  | { kind: 'hangup'; times?: number; on?: FaultTarget };

function applies(fault: Fault, route: SimRoute): boolean {
  switch (fault.kind) {
    case 'status5xx':
    case 'malformed':
      return route === 'status';
    case 'start5xx':
      return route === 'start';
    default: {
      const on = fault.on ?? 'both';
      return on === 'both' || on === route;
    }
  }
}

export class FaultQueue {
  private list: Fault[] = [];

  add(fault: Fault): void {
    if (fault.times !== undefined && fault.times <= 0) return;
    this.list.push({ ...fault });
  }

  clear(): void {
    this.list = [];
  }

  /** the faults still armed */
  get active(): readonly Fault[] {
    return this.list.map((f) => ({ ...f }));
  }

  /**
   * The faults this request meets: at most one delay (`slow`) followed by at most one answer-changing fault.
   * Each returned fault with `times` is consumed.
   */
  take(route: SimRoute): { slow?: Extract<Fault, { kind: 'slow' }>; other?: Fault } {
    const slow = this.consume(route, (f) => f.kind === 'slow') as Extract<Fault, { kind: 'slow' }> | undefined;
    const other = this.consume(route, (f) => f.kind !== 'slow');
    return { slow, other };
  }

  private consume(route: SimRoute, wanted: (f: Fault) => boolean): Fault | undefined {
    const index = this.list.findIndex((f) => wanted(f) && applies(f, route));
    if (index < 0) return undefined;
    const fault = this.list[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.list.splice(index, 1);
    }
    return fault;
  }
}
