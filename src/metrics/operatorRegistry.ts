import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ALL_STATES } from '../migration/lifecycle';
import type { OperatorMetrics } from '../migration/operatorMetrics';
import type { DomainLogger } from '../migration/ports';
import type { Clock, JobStore } from '../migration/types';

/**
 * The operators' metrics in Prometheus' format. Counters are this process's; the gauges of shared state (jobs by
 * state, the outbox, the running job's last status read) are read from the store at each scrape, so every replica
 * reports the same values and a restart loses nothing.
 */

export const METRIC_PREFIX = 'event_migration_bot_';

export interface OperatorRegistry {
  registry: Registry;
  metrics: OperatorMetrics;
}

type StoreReads = Pick<JobStore, 'countJobsByState' | 'jobsWithPendingNotifications' | 'jobsInStates'>;

const ageSeconds = (now: Date, iso: string | undefined) =>
  iso ? Math.max(0, (now.getTime() - Date.parse(iso)) / 1000) : undefined;

export function createOperatorRegistry(deps: {
  store: StoreReads;
  clock: Clock;
  logger: DomainLogger;
}): OperatorRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const { store, clock, logger } = deps;
  const fromStore = (what: string, read: () => Promise<void>) => async () => {
    try {
      await read();
    } catch (err) {
      // The scrape still answers; the gauge is simply absent this time.
      logger.warn({ err, metric: what }, 'metrics: the store could not be read');
    }
  };

  const statusCalls = new Counter({
    name: `${METRIC_PREFIX}status_calls_total`,
    help: 'Status calls to the Events API by outcome (answered, no_job, or the error kind)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const statusDuration = new Histogram({
    name: `${METRIC_PREFIX}status_call_duration_seconds`,
    help: "Time a status call took, the client's retries included",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const startCalls = new Counter({
    name: `${METRIC_PREFIX}start_calls_total`,
    help: 'Start calls to the Events API by outcome (accepted, or the error kind)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const connectorSends = new Counter({
    name: `${METRIC_PREFIX}connector_sends_total`,
    help: 'Sends to the Bot Connector: ok, retried, throttled (429, retried), forbidden (403), not_found (404), failed',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const jobs = new Gauge({
    name: `${METRIC_PREFIX}jobs`,
    help: 'Jobs in the store by state',
    labelNames: ['state'],
    registers: [registry],
    collect: fromStore('jobs', async () => {
      const counts = await store.countJobsByState();
      for (const state of ALL_STATES) jobs.set({ state }, counts[state] ?? 0);
    }),
  });
  const outboxNotices = new Gauge({
    name: `${METRIC_PREFIX}outbox_notices`,
    help: 'Notices waiting in the outbox to be delivered to Teams',
    registers: [registry],
    collect: fromStore('outbox_notices', async () => {
      const pending = await store.jobsWithPendingNotifications();
      outboxNotices.set(pending.reduce((n, j) => n + j.outbox.length, 0));
    }),
  });
  const oldestNotice = new Gauge({
    name: `${METRIC_PREFIX}outbox_oldest_notice_age_seconds`,
    help: 'Age of the oldest notice waiting in the outbox (0 when none waits)',
    registers: [registry],
    collect: fromStore('outbox_oldest_notice_age_seconds', async () => {
      const jobsWaiting = await store.jobsWithPendingNotifications();
      const now = clock.now();
      const ages = jobsWaiting.flatMap((j) => j.outbox.map((n) => ageSeconds(now, n.queuedAt ?? j.updatedAt) ?? 0));
      oldestNotice.set(ages.length > 0 ? Math.max(...ages) : 0);
    }),
  });
  const lastRead = new Gauge({
    name: `${METRIC_PREFIX}last_status_read_age_seconds`,
    help: 'Seconds since each running job was last read from the Events API (no sample when no job runs)',
    labelNames: ['job_id'],
    registers: [registry],
    collect: fromStore('last_status_read_age_seconds', async () => {
      const running = await store.jobsInStates(['running']);
      const now = clock.now();
      lastRead.reset();
      for (const job of running) {
        lastRead.set({ job_id: job.id }, ageSeconds(now, job.progress.lastCheckedAt ?? job.startedAt) ?? 0);
      }
    }),
  });

  return {
    registry,
    metrics: {
      statusCall: (outcome, seconds) => {
        statusCalls.inc({ outcome });
        statusDuration.observe(seconds);
      },
      startCall: (outcome) => startCalls.inc({ outcome }),
      connectorSend: (outcome) => connectorSends.inc({ outcome }),
    },
  };
}
