import type { Migrations } from './migrations';
import type { DomainLogger, Scheduler } from './ports';

/**
 * Now and then, the reconciliation a restart does, for jobs stuck before `running` (see
 * JobStarter.reconcileStuck): a job is never left `starting`, holding the environment, until someone restarts.
 */
export interface StartSweepRules {
  everyMs: number;
  /** longer than any start call takes with its retries (the Events API client gives up after about 2 min) */
  olderThanMs: number;
}

export const defaultStartSweep: StartSweepRules = { everyMs: 60_000, olderThanMs: 5 * 60_000 };

export class StartSweep {
  private handle: unknown;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly migrations: Pick<Migrations, 'sweepStuckStarts'>,
    private readonly scheduler: Scheduler,
    private readonly logger: DomainLogger,
    private readonly rules: StartSweepRules,
  ) {}

  start(): void {
    if (this.stopped) return;
    this.handle = this.scheduler.setTimeout(() => {
      this.running = this.migrations
        .sweepStuckStarts(this.rules.olderThanMs)
        .then(
          () => undefined,
          (err: unknown) => this.logger.error({ err }, 'sweeping stuck starts failed; trying again later'),
        )
        .finally(() => this.start());
    }, this.rules.everyMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== undefined) this.scheduler.clearTimeout(this.handle);
    await this.running;
  }
}
