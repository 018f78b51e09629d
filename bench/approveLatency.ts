import { ALL_TICKED } from '../src/migration/checklist';
import { cardAction, jobIdOfCard, message, migrateText } from './activities';
import { startFakeConnector, type FakeConnector } from '../test/helpers/fakeConnector';
import { postJson } from './http';
import { discardingLogger, startInProcessBot, type InProcessBot } from './inProcessBot';
import type { BenchResult } from './row';
import type { BenchSettings } from './settings';
import { percentile, round } from './stats';
import { until } from './wait';
import { createEventsApiClient } from '../src/events-api';
import { DEFAULT_SIM_TOKEN } from '../src/sim/simulator';

/**
 * 2. Approve under a slow service: the invoke's answer time while the Events API holds the start call for
 * `slowStartMs`, against the same approval with a service that answers at once (alternating samples).
 * Each sample approves its own pending job; once the start call has reached the service the bench frees the
 * environment's single slot in the store, so every approval is a real, accepted one.
 */
export async function approveLatency(s: BenchSettings, store?: { name: string; url: string }): Promise<BenchResult> {
  const connector = await startFakeConnector({ record: false, timeArrivals: true });
  const bot = await startInProcessBot({
    databaseUrl: store?.url,
    overrides: (sim) => ({
      // One attempt: at the end the simulator is closed under the held start calls, and shutdown need not retry them.
      eventsApi: createEventsApiClient({
        endpoint: sim.url,
        token: DEFAULT_SIM_TOKEN,
        logger: discardingLogger(),
        retry: { maxAttempts: 1 },
      }),
      // Card updates after each approval are paced 150 ms apart per conversation; dozens of approvals in one
      // thread would queue them for many seconds after the last sample. They are not on the invoke's path.
      minSendGapMs: 0,
    }),
  });
  const samples = { slow: [] as number[], fast: [] as number[] };
  const accepted = { slow: 0, fast: 0 };
  try {
    for (let i = 0; i < 2 * s.approveSamples; i++) {
      const mode = i % 2 === 0 ? 'fast' : 'slow';
      if (mode === 'slow') bot.sim.injectFault({ kind: 'slow', ms: s.slowStartMs, on: 'start', times: 1 });
      const { ms, ok } = await oneApproval(bot, connector);
      samples[mode].push(ms);
      if (ok) accepted[mode]++;
    }
  } finally {
    await bot.stop();
    await connector.close();
  }
  const p = (mode: 'slow' | 'fast', q: number) => round(percentile(samples[mode], q));
  const benchmark = `approve, start takes ${s.slowStartMs / 1000} s${store ? ` on ${store.name}` : ''}`;
  const baselineName = 'start answered at once';
  return {
    rows: [
      { benchmark, measure: 'p50', unit: 'ms', bot: p('slow', 50), baseline: p('fast', 50), baselineName, target: '' },
      {
        benchmark,
        measure: 'p99',
        unit: 'ms',
        bot: p('slow', 99),
        baseline: p('fast', 99),
        baselineName,
        target: '< 100 ms',
        met: p('slow', 99) < 100,
      },
    ],
    details: { samplesEach: s.approveSamples, accepted, max: { slow: p('slow', 100), fast: p('fast', 100) } },
  };
}

async function oneApproval(bot: InProcessBot, connector: FakeConnector): Promise<{ ms: number; ok: boolean }> {
  const request = message(connector.url, migrateText());
  const [, card] = await Promise.all([postJson(bot.url, request), connector.replyTo(request.id)]);
  const jobId = jobIdOfCard(card.activity);
  const startsBefore = bot.sim.startCalls().length;

  const invoke = cardAction(connector.url, 'approve', { jobId, ...ALL_TICKED }, card.id);
  const t0 = performance.now();
  const answer = await postJson(bot.url, invoke);
  const ms = performance.now() - t0;
  if (answer.status !== 200) throw new Error(`the approve invoke answered ${answer.status}`);

  const store = bot.app.store;
  const ok = (await store.getJob(jobId))?.state !== 'pending_approval';
  if (ok) {
    await until(() => bot.sim.startCalls().length > startsBefore, 'the start call to reach the service');
    // Free the slot for the next sample without waiting out the held start (10 s a sample would make the bench
    // minutes long): a running job is stopped, one still starting is marked could-not-start (the life table
    // allows each); the held start's late answer then finds the job moved on and changes nothing.
    const at = new Date().toISOString();
    const note = { at, note: 'bench: slot freed for the next sample' };
    // The bot may move the job from starting to running between the two tries: try again until one holds.
    for (let i = 0; i < 20; i++) {
      if ((await store.transition(jobId, ['running'], 'stopped', { endedAt: at }, note)).ok) break;
      if ((await store.transition(jobId, ['starting'], 'start_failed', { endedAt: at }, note)).ok) break;
    }
  }
  return { ms, ok };
}
