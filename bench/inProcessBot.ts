import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { buildApp, type App, type AppOverrides } from '../src/index';
import { createLogger, type Logger } from '../src/logger';
import { DEFAULT_SIM_TOKEN, startSimulator, type Simulator, type SimulatorOptions } from '../src/sim/simulator';

/** Logs are written as in production (JSON, info level) but to /dev/null, so their cost counts and the table stays readable. */
export function discardingLogger(): Logger {
  return createLogger('info', pino.destination({ dest: os.devNull, sync: true }));
}

export interface InProcessBot {
  app: App;
  sim: Simulator;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** The bot in this process, on loopback, with its own simulator and a fresh SQLite file in a temp folder (or the database given). */
export async function startInProcessBot(
  options: { sim?: SimulatorOptions; overrides?: (sim: Simulator) => AppOverrides; databaseUrl?: string } = {},
): Promise<InProcessBot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-bench-'));
  const sim = await startSimulator({ registrations: 4_000, speed: 10, ...options.sim });
  const config = loadConfig({
    PORT: '0',
    EVENTS_API_ENDPOINT: sim.url,
    EVENTS_API_TOKEN: DEFAULT_SIM_TOKEN,
    DATABASE_URL: options.databaseUrl ?? `sqlite:${path.join(dir, 'bot.db')}`,
    LOG_LEVEL: 'info',
  });
  const app = await buildApp(config, { host: '127.0.0.1', logger: discardingLogger(), ...options.overrides?.(sim) });
  await app.resumed;
  return {
    app,
    sim,
    dir,
    url: `${app.server.url}/api/messages`,
    stop: async () => {
      // The simulator first: a start call it is holding fails at once instead of keeping shutdown waiting.
      await sim.close();
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
