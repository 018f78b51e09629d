import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JobLocks } from '../../../src/migration/jobLocks';
import { NotificationDispatcher } from '../../../src/migration/notificationDispatcher';
import { defaultPollRules } from '../../../src/migration/pollSchedule';
import type { DeliveryResult, Notifier } from '../../../src/migration/ports';
import { Tracker } from '../../../src/migration/tracker';
import { defaultTrackingRules } from '../../../src/migration/trackingRules';
import type { EventsApi, JobStore, StatusReading } from '../../../src/migration/types';
import { openStore } from '../../../src/store/openStore';
import { captureLogger } from '../../helpers/captureLogger';
import { FROM, runningJob, TO } from '../../helpers/jobs';
import { soon, SteppedTime } from './steppedTime';

/** The tracker over a real SQLite file whose writes fail now and then (a locked database, a full disk). */

const BASE_MS = 60_000;

describe('the tracker when the bot itself fails to store a reading', () => {
  let dir: string;
  let store: JobStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-tracker-'));
    store = await openStore(`sqlite:${path.join(dir, 'bot.db')}`);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs it and keeps following the job to its end', async () => {
    const time = new SteppedTime(Date.parse('2026-11-30T12:00:00.000Z'));
    let failWrites = 0;
    const flaky = new Proxy(store, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (prop === 'update' && failWrites > 0) {
          return async () => {
            failWrites -= 1;
            throw new Error('SQLITE_BUSY: database is locked');
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    let processed = 0;
    const reading = (): StatusReading => ({
      state: processed >= 100 ? 'completed' : 'running',
      fromEventId: FROM,
      toEventId: TO,
      processed,
      total: 100,
      failed: 0,
      errors: [],
      httpStatus: 200,
      rawSummary: '{}',
    });
    const api: EventsApi = { start: async () => ({ httpStatus: 202, rawSummary: '' }), status: async () => reading() };
    const posted: string[] = [];
    const notifier: Notifier = {
      showCard: async (): Promise<DeliveryResult> => ({ status: 'sent', activityId: 'card-1' }),
      showPlanCard: async (): Promise<DeliveryResult> => ({ status: 'sent' }),
      post: async (_job, notice): Promise<DeliveryResult> => {
        posted.push(notice.kind);
        return { status: 'sent' };
      },
    };
    const logger = captureLogger();
    const locks = new JobLocks();
    const dispatcher = new NotificationDispatcher(flaky, notifier, logger, time, locks, 1000);
    const tracker = new Tracker({
      store: flaky,
      api,
      clock: time,
      scheduler: time,
      dispatcher,
      locks,
      logger,
      pollRules: defaultPollRules(BASE_MS),
      trackingRules: defaultTrackingRules(BASE_MS),
    });
    const job = await store.createJob(
      runningJob({ approvedAt: time.now().toISOString(), startedAt: time.now().toISOString(), progress: {} }),
      { at: time.now().toISOString() },
    );
    tracker.track(job);

    const step = async () => {
      expect(time.fireNext()).toBe(true);
      await soon(
        async () => time.pending() > 0 || (await store.getJob(job.id))?.state !== 'running',
        'the read to be handled',
      );
      await dispatcher.idle();
    };
    processed = 10;
    await step();
    failWrites = 1;
    processed = 50;
    await step();
    expect(logger.text()).toMatch(/SQLITE_BUSY/);
    processed = 100;
    for (let i = 0; i < 5 && (await store.getJob(job.id))?.state === 'running'; i++) await step();
    expect((await store.getJob(job.id))?.state).toBe('completed');
    await soon(() => posted.includes('completed_alert'), 'the completion alert');
    await tracker.stop();
  });
});
