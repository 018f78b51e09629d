import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventsApiClient, environmentKey } from '../src/events-api';
import { JobLocks } from '../src/migration/jobLocks';
import { MigrationService } from '../src/migration/migrationService';
import { NotificationDispatcher } from '../src/migration/notificationDispatcher';
import { defaultPollRules } from '../src/migration/pollSchedule';
import type { DomainLogger, Notifier } from '../src/migration/ports';
import { Tracker } from '../src/migration/tracker';
import { defaultTrackingRules } from '../src/migration/trackingRules';
import type { Job, JobStore } from '../src/migration/types';
import { DEFAULT_SIM_TOKEN, startSimulator } from '../src/sim/simulator';
import { openStore } from '../src/store/openStore';
import { ALL_TICKED, APPROVER, REQUESTER, THREAD } from './activities';
import { FakeTime } from './fakeTime';
import type { BenchResult } from './row';
import { round } from './stats';
import { sleep } from './wait';

const HOURS = 8;
const REGISTRATIONS = 4_000;
const BASE_MS = 60_000;

const quiet: DomainLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const nowhere: Notifier = { showCard: async () => ({ status: 'sent' }), post: async () => ({ status: 'sent' }) };

/**
 * 5. Status calls per job: the real Tracker, MigrationService, SQLite store and Events API client against the
 * simulator over loopback, all on one simulated clock: an 8-hour, 4,000-registration job at
 * STATUS_POLL_INTERVAL_MS=60000, run to its end in a few seconds. Baseline: a fixed poll every 60 s.
 */
export async function statusCalls(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-bench-polls-'));
  const time = new FakeTime(Date.parse('2026-01-05T08:00:00.000Z'));
  const sim = await startSimulator({ clock: { now: () => time.nowMs() }, registrations: REGISTRATIONS, speed: REGISTRATIONS / (HOURS * 3600) });
  const store = await openStore(`sqlite:${path.join(dir, 'polls.db')}`, { clock: time });
  const api = createEventsApiClient({ endpoint: sim.url, token: DEFAULT_SIM_TOKEN, logger: quiet });
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
    pollRules: defaultPollRules(BASE_MS),
    trackingRules: defaultTrackingRules(BASE_MS),
  });
  const service = new MigrationService({
    store,
    api,
    clock: time,
    rules: { approverIds: [], requireSecondApprover: false },
    environment: environmentKey(sim.url),
    approvalTtlMinutes: 1440,
    newId: randomUUID,
    logger: quiet,
  });
  const wallStart = performance.now();
  try {
    const job = await startJob(service);
    tracker.track(job);
    const ended = await runToEnd(time, store, job.id);
    const simEnd = Date.parse(sim.jobs()[0]?.completedAt ?? '');
    const calls = sim.statusCalls().length;
    const lateS = (Date.parse(ended.endedAt ?? '') - simEnd) / 1000;
    const startedAt = Date.parse(job.startedAt ?? '');
    const fixed = fixedPolling(simEnd - startedAt);
    const benchmark = `status calls, ${HOURS} h / ${REGISTRATIONS} registrations`;
    const baselineName = 'fixed 60 s poll (computed)';
    return {
      rows: [
        { benchmark, measure: 'status calls', unit: 'calls', bot: calls, baseline: fixed.calls, baselineName, target: '<= 600', met: calls <= 600 },
        { benchmark, measure: 'end noticed after', unit: 's', bot: round(lateS, 1), baseline: round(fixed.lateS, 1), baselineName, target: '<= 120 s', met: lateS <= 120 },
      ],
      details: {
        simulatedJobHours: round((simEnd - startedAt) / 3_600_000, 2),
        finalState: ended.state,
        processed: ended.progress.processed,
        wallSeconds: round((performance.now() - wallStart) / 1000, 1),
      },
    };
  } finally {
    await tracker.stop();
    dispatcher.stop();
    await dispatcher.idle();
    await store.close();
    await api.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function startJob(service: MigrationService): Promise<Job> {
  const fromEventId = randomUUID();
  const toEventId = randomUUID();
  const requested = await service.requestMigration({ fromEventId, toEventId, requester: REQUESTER, conversationId: THREAD });
  if (requested.kind !== 'created') throw new Error('the simulated job could not be requested');
  const approved = await service.approve(requested.job.id, APPROVER, ALL_TICKED);
  if (approved.kind !== 'approved') throw new Error(`the simulated job was not approved (${approved.kind})`);
  const started = await service.startApproved(requested.job.id);
  if (started?.state !== 'running') throw new Error(`the simulated job did not start (${started?.state})`);
  return started;
}

/** Fires the tracker's timers one after another, each once the previous read is stored, until the job ends. */
async function runToEnd(time: FakeTime, store: JobStore, jobId: string): Promise<Job> {
  for (let polls = 0; polls < 100_000; polls++) {
    const job = await store.getJob(jobId);
    if (!job) throw new Error('the simulated job vanished');
    if (job.state !== 'running') return job;
    if (time.pending === 0) {
      // A read is still in progress (real HTTP on loopback): let it finish.
      await sleep(0);
      continue;
    }
    time.fireNext();
    await sleep(0);
  }
  throw new Error('the simulated job did not end');
}

/** What a fixed poll every BASE_MS would cost for a job of `durationMs`: the first read after the end notices it. */
function fixedPolling(durationMs: number): { calls: number; lateS: number } {
  const calls = Math.ceil(durationMs / BASE_MS);
  return { calls, lateS: (calls * BASE_MS - durationMs) / 1000 };
}
