import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventsApiClient, environmentKey, type EventsApiClient } from '../src/events-api';
import { JobLocks } from '../src/migration/jobLocks';
import { JobStarter } from '../src/migration/jobStarter';
import { NotificationDispatcher } from '../src/migration/notificationDispatcher';
import { defaultPollRules } from '../src/migration/pollSchedule';
import type { DomainLogger, Notifier } from '../src/migration/ports';
import { Tracker } from '../src/migration/tracker';
import { defaultTrackingRules } from '../src/migration/trackingRules';
import { TurnDecisions } from '../src/migration/turnDecisions';
import type { JobStore } from '../src/migration/types';
import { DEFAULT_SIM_TOKEN, startSimulator, type Simulator } from '../src/sim/simulator';
import { SteppedTime } from '../src/sim/steppedTime';
import { openStore } from '../src/store/openStore';

/**
 * The domain's real parts (store, Events API client, tracker, dispatcher, decisions, starter) against the
 * simulator over loopback, all on one simulated clock, for the benchmarks that run hours of a job in a second.
 */

export const quiet: DomainLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const nowhere: Notifier = {
  showCard: async () => ({ status: 'sent' }),
  post: async () => ({ status: 'sent' }),
  showPlanCard: async () => ({ status: 'sent' }),
};

export interface SteppedRig {
  time: SteppedTime;
  sim: Simulator;
  store: JobStore;
  api: EventsApiClient;
  environment: string;
  tracker: Tracker;
  dispatcher: NotificationDispatcher;
  decisions: TurnDecisions;
  starter: JobStarter;
  close(): Promise<void>;
}

export async function startSteppedRig(options: {
  name: string;
  registrations: number;
  speed: number;
  baseMs: number;
}): Promise<SteppedRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `emb-bench-${options.name}-`));
  const time = new SteppedTime(Date.parse('2026-01-05T08:00:00.000Z'));
  const sim = await startSimulator({
    clock: { now: () => time.nowMs() },
    registrations: options.registrations,
    speed: options.speed,
  });
  const store = await openStore(`sqlite:${path.join(dir, `${options.name}.db`)}`, { clock: time });
  const api = createEventsApiClient({ endpoint: sim.url, token: DEFAULT_SIM_TOKEN, logger: quiet });
  const environment = environmentKey(sim.url);
  const locks = new JobLocks();
  const dispatcher = new NotificationDispatcher(store, nowhere, quiet, time, locks);
  const tracker = new Tracker({
    store,
    api,
    clock: time,
    scheduler: time,
    dispatcher,
    locks,
    logger: quiet,
    pollRules: defaultPollRules(options.baseMs),
    trackingRules: defaultTrackingRules(options.baseMs),
  });
  const decisions = new TurnDecisions({
    store,
    clock: time,
    rules: { approverIds: [], requireSecondApprover: false },
    environment,
    approvalTtlMinutes: 1440,
    newId: randomUUID,
  });
  const starter = new JobStarter({ store, api, clock: time, logger: quiet });
  return {
    time,
    sim,
    store,
    api,
    environment,
    tracker,
    dispatcher,
    decisions,
    starter,
    close: async () => {
      await tracker.stop();
      dispatcher.stop();
      await dispatcher.idle();
      await store.close();
      await api.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
