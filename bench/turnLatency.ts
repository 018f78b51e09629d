import { message, migrateText } from './activities';
import { startEchoBot } from './echoBot';
import { startFakeConnector, type FakeConnector } from '../test/helpers/fakeConnector';
import { postJson } from './http';
import { discardingLogger, startInProcessBot } from './inProcessBot';
import type { BenchResult } from './row';
import type { BenchSettings } from './settings';
import { percentile, round } from './stats';

/**
 * 1. Turn latency: `migrate <guid> <guid>` POSTed to /api/messages until the confirmation card reaches the
 * connector, against an echo bot's reply to the same text. Sequential requests, in alternating blocks.
 */
export async function turnLatency(s: BenchSettings, store?: { name: string; url: string }): Promise<BenchResult> {
  const connector = await startFakeConnector({ record: false, timeArrivals: true });
  const bot = await startInProcessBot({ databaseUrl: store?.url });
  const echo = await startEchoBot({ port: 0, host: '127.0.0.1', logger: discardingLogger() });
  const targets = { bot: bot.url, echo: `${echo.url}/api/messages` };
  const samples: Record<keyof typeof targets, number[]> = { bot: [], echo: [] };
  try {
    for (let i = 0; i < s.turnWarmup; i++) {
      await oneTurn(connector, targets.bot);
      await oneTurn(connector, targets.echo);
    }
    while (samples.bot.length < s.turnRequests) {
      const block = Math.min(s.turnBlock, s.turnRequests - samples.bot.length);
      for (const which of ['echo', 'bot'] as const) {
        for (let i = 0; i < block; i++) samples[which].push(await oneTurn(connector, targets[which]));
      }
    }
  } finally {
    await echo.close();
    await bot.stop();
    await connector.close();
  }
  const p = (which: keyof typeof targets, q: number) => round(percentile(samples[which], q));
  const p50 = { bot: p('bot', 50), echo: p('echo', 50) };
  const p99 = { bot: p('bot', 99), echo: p('echo', 99) };
  const benchmark = `turn latency (migrate -> card)${store ? ` on ${store.name}` : ''}`;
  return {
    rows: [
      {
        benchmark,
        measure: 'p50',
        unit: 'ms',
        bot: p50.bot,
        baseline: p50.echo,
        baselineName: 'echo bot',
        target: '<= 1.5x echo',
        met: p50.bot <= 1.5 * p50.echo,
      },
      {
        benchmark,
        measure: 'p99',
        unit: 'ms',
        bot: p99.bot,
        baseline: p99.echo,
        baselineName: 'echo bot',
        target: '< 25 ms',
        met: p99.bot < 25,
      },
    ],
    details: {
      requests: samples.bot.length,
      warmup: s.turnWarmup,
      block: s.turnBlock,
      p50Ratio: round(p50.bot / p50.echo),
      p90: { bot: p('bot', 90), echo: p('echo', 90) },
      max: { bot: p('bot', 100), echo: p('echo', 100) },
    },
  };
}

/** One message turn: from the POST until the bot's reply reaches the connector (and the POST is answered). */
async function oneTurn(connector: FakeConnector, url: string): Promise<number> {
  const activity = message(connector.url, migrateText());
  const t0 = performance.now();
  const [answer, arrival] = await Promise.all([postJson(url, activity), connector.replyTo(activity.id)]);
  if (answer.status >= 300) throw new Error(`POST /api/messages answered ${answer.status}`);
  return arrival.at - t0;
}
