import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '../src/sim/simulator';
import { ALL_TICKED, cardAction, jobIdOfCard, message } from './activities';
import { benchScript, botEnv, childEnv } from './benchEnv';
import { cpuPercent, forkReporting, megabytes, type ReportingChild } from './child';
import { startBenchConnector, type BenchConnector } from './fakeConnector';
import { postJson } from './http';
import type { BenchResult } from './row';
import type { CostSample } from './selfReport';
import type { BenchSettings } from './settings';
import { round } from './stats';
import { sleep, until } from './wait';

const FROM = '11111111-1111-4111-8111-111111111111';
const TO = '22222222-2222-4222-8222-222222222222';

/**
 * 3. Idle and tracking cost: resident memory and CPU of the bot in its own process, idle (beside an idle echo
 * bot), then while it follows a running job with a status call every second.
 */
export async function resourceCost(s: BenchSettings): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-bench-cost-'));
  // Slow enough that the job outlives the tracking window.
  const sim = await startSimulator({ registrations: 4_000, speed: 4_000 / ((s.trackingMs * 4) / 1000) });
  const connector = await startBenchConnector();
  const children: ReportingChild[] = [];
  try {
    const env = botEnv(sim.url, path.join(dir, 'bot.db'), { PORT: '0', STATUS_POLL_INTERVAL_MS: '1000', BENCH_MAX_STRETCH: '1' });
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

    const rss = (c: CostSample) => round(megabytes(c.rssBytes), 1);
    const benchmark = 'idle and tracking cost';
    return {
      rows: [
        { benchmark, measure: 'idle RSS', unit: 'MB', bot: rss(idle[0].to), baseline: rss(idle[1].to), baselineName: 'echo bot idle', target: '< 120 MB', met: idle[0].to.rssBytes < 120 * 2 ** 20 },
        { benchmark, measure: 'idle CPU', unit: '% core', bot: idle[0].cpu, baseline: idle[1].cpu, baselineName: 'echo bot idle', target: '< 2 %', met: idle[0].cpu < 2 },
        { benchmark, measure: 'tracking RSS', unit: 'MB', bot: rss(tracking.to), baseline: rss(idle[0].to), baselineName: 'bot idle', target: '< 120 MB', met: tracking.to.rssBytes < 120 * 2 ** 20 },
        { benchmark, measure: 'tracking CPU', unit: '% core', bot: tracking.cpu, baseline: idle[0].cpu, baselineName: 'bot idle', target: '< 2 %', met: tracking.cpu < 2 },
      ],
      details: {
        idleMs: s.idleMs,
        trackingMs: s.trackingMs,
        jobId,
        statusCallsWhileTracking: statusCalls,
        cardUpdatesWhileTracking: connector.updates - updatesBefore,
        jobStillRunningAtEnd: stillRunning,
        peakRssMb: { bot: round(megabytes(tracking.to.maxRssBytes), 1), echo: round(megabytes(idle[1].to.maxRssBytes), 1) },
        heapUsedMb: { botIdle: round(megabytes(idle[0].to.heapUsedBytes), 1), botTracking: round(megabytes(tracking.to.heapUsedBytes), 1) },
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
}

/** Samples every child at the start and end of one window of `ms`. */
async function measure(children: ReportingChild[], ms: number): Promise<Window[]> {
  const from = await Promise.all(children.map((c) => c.sample()));
  await sleep(ms);
  const to = await Promise.all(children.map((c) => c.sample()));
  return to.map((sample, i) => ({ to: sample, cpu: round(cpuPercent(from[i], sample), 2) }));
}

async function turn(connector: BenchConnector, child: ReportingChild, text: string) {
  const activity = message(connector.url, text);
  const [, arrival] = await Promise.all([postJson(`${child.url}/api/messages`, activity), connector.replyTo(activity.id)]);
  return arrival;
}

/** migrate, then approve: the bot starts the job on the simulator and begins to track it. */
async function startJob(connector: BenchConnector, bot: ReportingChild): Promise<string> {
  const card = await turn(connector, bot, `migrate ${FROM} ${TO}`);
  const jobId = jobIdOfCard(card.activity);
  const answer = await postJson(`${bot.url}/api/messages`, cardAction(connector.url, 'approve', { jobId, ...ALL_TICKED }, card.id));
  if (answer.status !== 200) throw new Error(`the approve invoke answered ${answer.status}`);
  return jobId;
}
