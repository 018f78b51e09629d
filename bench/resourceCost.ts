import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '../src/sim/simulator';
import { startJob, turn } from './childTurns';
import { benchScript, botEnv, childEnv } from './benchEnv';
import { cpuPercent, forkReporting, megabytes, type ReportingChild } from './child';
import { startFakeConnector } from '../test/helpers/fakeConnector';
import type { BenchResult } from './row';
import type { CostSample } from './selfReport';
import type { BenchSettings } from './settings';
import { round } from './stats';
import { sleep, until } from './wait';

/**
 * 3. Idle and tracking cost: resident memory and CPU of the bot in its own process, idle (beside an idle echo
 * bot), then while it follows a running job with a status call every second.
 */
export async function resourceCost(s: BenchSettings): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-bench-cost-'));
  // Slow enough that the job outlives the tracking window.
  const sim = await startSimulator({ registrations: 4_000, speed: 4_000 / ((s.trackingMs * 4) / 1000) });
  const connector = await startFakeConnector({ record: false, timeArrivals: true });
  const children: ReportingChild[] = [];
  try {
    const env = botEnv(sim.url, path.join(dir, 'bot.db'), {
      PORT: '0',
      STATUS_POLL_INTERVAL_MS: '1000',
      BENCH_MAX_STRETCH: '1',
    });
    const bot = await forkReporting(benchScript('botChild'), env, dir);
    children.push(bot);
    const echo = await forkReporting(benchScript('echoBot'), childEnv({ PORT: '0' }), dir);
    children.push(echo);

    // One turn each so the code paths are loaded, then let start-up garbage settle.
    await turn(connector, bot, 'help');
    await turn(connector, echo, 'help');
    await sleep(1_000);

    const idle = await measure([bot, echo], s.idleMs);
    const jobId = await startJob(connector, bot);
    await until(() => sim.statusCalls().length > 0, 'the first status call', 10_000, 10);
    const callsBefore = sim.statusCalls().length;
    const updatesBefore = connector.updates;
    const [tracking] = await measure([bot], s.trackingMs);
    const statusCalls = sim.statusCalls().length - callsBefore;
    const stillRunning = sim.currentJob()?.state === 'running';

    const mb = (bytes: number) => round(megabytes(bytes), 1);
    const under120 = (bytes: number) => bytes < 120 * 2 ** 20;
    const [botIdle, echoIdle] = idle;
    const benchmark = 'idle and tracking cost';
    return {
      rows: [
        // Idle: where memory settles by the end of the window (V8 hands start-up garbage back after some seconds idle).
        {
          benchmark,
          measure: 'idle RSS (end)',
          unit: 'MB',
          bot: mb(botIdle.to.rssBytes),
          baseline: mb(echoIdle.to.rssBytes),
          baselineName: 'echo bot idle',
          target: '< 120 MB',
          met: under120(botIdle.to.rssBytes),
        },
        {
          benchmark,
          measure: 'idle CPU',
          unit: '% core',
          bot: botIdle.cpu,
          baseline: echoIdle.cpu,
          baselineName: 'echo bot idle',
          target: '< 2 %',
          met: botIdle.cpu < 2,
        },
        {
          benchmark,
          measure: 'tracking RSS (max)',
          unit: 'MB',
          bot: mb(tracking.highestRssBytes),
          baseline: mb(botIdle.to.rssBytes),
          baselineName: 'bot idle (end)',
          target: '< 120 MB',
          met: under120(tracking.highestRssBytes),
        },
        {
          benchmark,
          measure: 'tracking CPU',
          unit: '% core',
          bot: tracking.cpu,
          baseline: botIdle.cpu,
          baselineName: 'bot idle',
          target: '< 2 %',
          met: tracking.cpu < 2,
        },
      ],
      details: {
        idleMs: s.idleMs,
        trackingMs: s.trackingMs,
        jobId,
        statusCallsWhileTracking: statusCalls,
        cardUpdatesWhileTracking: connector.updates - updatesBefore,
        jobStillRunningAtEnd: stillRunning,
        rssMbSeries: { echoIdle: echoIdle.rssMb, botIdle: botIdle.rssMb, botTracking: tracking.rssMb },
        /** process.resourceUsage().maxRSS: the peak since the process began, start-up included */
        peakRssSinceStartMb: { bot: mb(tracking.to.maxRssBytes), echo: mb(echoIdle.to.maxRssBytes) },
        heapUsedMb: { botIdle: mb(botIdle.to.heapUsedBytes), botTracking: mb(tracking.to.heapUsedBytes) },
      },
    };
  } finally {
    for (const child of children) await child.stop();
    await connector.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Window {
  to: CostSample;
  /** percent of one core over the window */
  cpu: number;
  /** the highest resident set seen by the samples taken through the window */
  highestRssBytes: number;
  /** resident set at each sample, MB: a steady climb would be a leak, a saw-tooth is the garbage collector */
  rssMb: number[];
}

/** Samples every child at the start of a window of `ms`, then every `ms / 10` until its end. */
async function measure(children: ReportingChild[], ms: number): Promise<Window[]> {
  const series = [await Promise.all(children.map((c) => c.sample()))];
  const steps = 10;
  for (let i = 0; i < steps; i++) {
    await sleep(ms / steps);
    series.push(await Promise.all(children.map((c) => c.sample())));
  }
  return children.map((_, i) => {
    const mine = series.map((samples) => samples[i]);
    const to = mine[mine.length - 1];
    return {
      to,
      cpu: round(cpuPercent(mine[0], to), 2),
      highestRssBytes: Math.max(...mine.map((m) => m.rssBytes)),
      rssMb: mine.map((m) => round(megabytes(m.rssBytes), 1)),
    };
  });
}
