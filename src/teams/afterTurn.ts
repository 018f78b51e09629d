import type { Logger } from '../logger';

/**
 * Work that must happen after Teams has its answer. botbuilder writes an invoke's HTTP response only when the
 * turn ends, so anything slow (the Events API start call, updating the card for everyone) is queued here and
 * runs once the turn has returned. Shutdown waits for it.
 */
export class AfterTurn {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(what: string, work: () => Promise<unknown>): void {
    const task = new Promise<void>((resolve) => setImmediate(resolve)).then(work).then(
      () => undefined,
      (err: unknown) => this.logger.error({ what, err }, 'background work failed'),
    );
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
