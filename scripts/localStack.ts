import { loadConfig } from '../src/config';
import type { DestinationStream } from 'pino';
import { buildApp, type App, type AppOverrides } from '../src/index';
import { createLogger } from '../src/logger';
import { DEFAULT_SIM_TOKEN, startSimulator, type Simulator, type SimulatorOptions } from '../src/sim/simulator';
import { startPlayground, type Playground } from './playground';

/**
 * The whole thing on one machine: the Events API simulator (unless a real endpoint is given), the bot, and the
 * Agents Playground as its Teams client. `npm run dev`, the end-to-end tests and the browser test all start it
 * here, so they run the same stack.
 */

type Env = Record<string, string | undefined>;

export interface LocalStackOptions {
  /** the bot's environment; without EVENTS_API_ENDPOINT the simulator is started and the bot pointed at it */
  env: Env;
  sim?: SimulatorOptions;
  overrides?: AppOverrides;
  /** where the bot's log goes, at the LOG_LEVEL of `env`; stdout as JSON (as `npm start`) unless given */
  log?: DestinationStream;
  playground: { port: number; workDir: string; configFile: string; output?: (line: string) => void };
}

export interface LocalStack {
  /** undefined when the environment named a real endpoint */
  sim?: Simulator;
  app: App;
  playground: Playground;
  /** the client first, so nothing new reaches the bot; the bot next, so it stops polling the simulator */
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started: Partial<LocalStack> = {};
  const stop = async () => {
    await started.playground?.stop().catch(() => undefined);
    await started.app?.stop().catch(() => undefined);
    await started.sim?.close().catch(() => undefined);
  };
  try {
    const env: Env = { ...options.env };
    if (!env.EVENTS_API_ENDPOINT) {
      started.sim = await startSimulator({ host: '127.0.0.1', ...options.sim });
      env.EVENTS_API_ENDPOINT = started.sim.url;
      env.EVENTS_API_TOKEN = options.sim?.token ?? DEFAULT_SIM_TOKEN;
    }
    // The Playground sends no Bot Framework token: the bot must run unauthenticated, whatever the environment says.
    for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId'])
      delete env[name];
    const config = loadConfig(env, { requireEventsApi: true });
    const logger = options.log ? createLogger(config.logLevel, options.log) : undefined;
    started.app = await buildApp(config, { ...(logger && { logger }), ...options.overrides });
    started.playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${started.app.server.port}/api/messages`,
      ...options.playground,
    });
    return { ...(started as Required<Pick<LocalStack, 'app' | 'playground'>>), sim: started.sim, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
