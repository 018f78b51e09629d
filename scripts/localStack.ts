import { loadConfig } from '../src/config';
import type { DestinationStream } from 'pino';
import { buildApp, type App, type AppOverrides } from '../src/index';
import type { SimDataverse } from '../src/sim/dataverse/server';
import { startOrganisation, type SimOrganisation } from '../src/sim/organisation';
import { createLogger } from '../src/logger';
import { DEFAULT_SIM_TOKEN, startSimulator, type Simulator, type SimulatorOptions } from '../src/sim/simulator';
import { loadSimState, persistedJobs } from '../src/sim/simState';
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
  /** keep the simulated organisation's state in this file across runs (`npm run dev`); none = start empty */
  simStateFile?: string;
  /** false: no simulated Dataverse beside the simulated Events API (the bot then runs without DATAVERSE_URL) */
  dataverse?: boolean;
  overrides?: AppOverrides;
  /** where the bot's log goes, at the LOG_LEVEL of `env`; stdout as JSON (as `npm start`) unless given */
  log?: DestinationStream;
  playground: { port: number; workDir: string; configFile: string; output?: (line: string) => void };
}

export interface LocalStack {
  /** undefined when the environment named a real endpoint */
  sim?: Simulator;
  /** the simulated Dataverse of the same organisation; undefined with a real endpoint, a DATAVERSE_URL, or `dataverse: false` */
  dataverse?: SimDataverse;
  app: App;
  playground: Playground;
  /** the client first, so nothing new reaches the bot; the bot next, so it stops polling the simulator */
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started: Partial<LocalStack> = {};
  let organisation: SimOrganisation | undefined;
  const stop = async () => {
    await started.playground?.stop().catch(() => undefined);
    await started.app?.stop().catch(() => undefined);
    await (organisation ?? started.sim)?.close().catch(() => undefined);
  };
  try {
    const env: Env = { ...options.env };
    let overrides = options.overrides;
    if (!env.EVENTS_API_ENDPOINT && !env.DATAVERSE_URL && options.dataverse !== false) {
      // One simulated organisation: as a migration runs, the target's registrations appear in its Dataverse.
      organisation = await startOrganisation({
        events: { host: '127.0.0.1', ...options.sim },
        stateFile: options.simStateFile,
      });
      started.sim = organisation.events;
      started.dataverse = organisation.dataverse;
      for (const name of ['AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_AUTHORITY_HOST']) delete env[name];
      Object.assign(env, organisation.env());
      overrides = { dataverseCredential: organisation.credential(), ...overrides };
    } else if (!env.EVENTS_API_ENDPOINT) {
      const file = options.simStateFile;
      const kept = file ? persistedJobs(file, loadSimState(file)) : {};
      started.sim = await startSimulator({ host: '127.0.0.1', ...options.sim, ...kept });
      env.EVENTS_API_ENDPOINT = started.sim.url;
    }
    if (started.sim) env.EVENTS_API_TOKEN = options.sim?.token ?? DEFAULT_SIM_TOKEN;
    // The Playground sends no Bot Framework token: the bot must run unauthenticated, whatever the environment says.
    for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId'])
      delete env[name];
    const config = loadConfig(env, { requireEventsApi: true });
    const logger = options.log ? createLogger(config.logLevel, options.log) : undefined;
    started.app = await buildApp(config, { ...(logger && { logger }), ...overrides });
    started.playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${started.app.server.port}/api/messages`,
      ...options.playground,
    });
    return {
      ...(started as Required<Pick<LocalStack, 'app' | 'playground'>>),
      sim: started.sim,
      dataverse: started.dataverse,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
