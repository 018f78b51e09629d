/**
 * `npm run dev`: the whole thing on one machine with embedded defaults — the Events API simulator at a demo
 * speed, the bot, and the Microsoft 365 Agents Playground as the Teams client. A `.env` with a real
 * EVENTS_API_ENDPOINT switches the simulator off. Ctrl-C stops all three.
 */
import path from 'node:path';
import { loadConfig, readDotEnv } from '../src/config';
import { buildApp, type App } from '../src/index';
import { DEFAULT_SIM_TOKEN, startSimulator, type Simulator } from '../src/sim/simulator';
import { simOptionsFromEnv } from '../src/sim/main';
import { DEFAULT_PLAYGROUND_PORT, PLAYGROUND_CONFIG_FILE, startPlayground, type Playground } from './playground';

type Env = Record<string, string | undefined>;

const ROOT = path.resolve(__dirname, '..', '..');

/** 300 registrations at 2 a second: a migration that ends in about 2.5 minutes, long enough to watch. */
const DEMO_SIM: Env = { SIM_REGISTRATIONS: '300', SIM_SPEED: '2', SIM_HOST: '127.0.0.1' };

interface Running {
  sim?: Simulator;
  app?: App;
  playground?: Playground;
}

async function startSim(env: Env): Promise<Simulator> {
  const read = simOptionsFromEnv({ ...DEMO_SIM, ...env });
  if ('problems' in read) throw new Error(read.problems.join(' '));
  return startSimulator(read.options);
}

/** The bot's environment for dev: the simulator's endpoint unless `.env` names a real one. */
function devEnv(env: Env, sim: Simulator | undefined): Env {
  const out: Env = { ...env };
  if (sim) {
    out.EVENTS_API_ENDPOINT = sim.url;
    out.EVENTS_API_TOKEN = env.SIM_TOKEN || DEFAULT_SIM_TOKEN;
    out.STATUS_POLL_INTERVAL_MS ??= '5000';
  }
  // The Playground sends no Bot Framework token: the bot must run unauthenticated, whatever .env says.
  for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId']) delete out[name];
  out.DATABASE_URL ??= 'sqlite:./data/dev.db';
  return out;
}

function playgroundPort(env: Env): number {
  const raw = env.PLAYGROUND_PORT?.trim();
  const port = raw ? Number(raw) : DEFAULT_PLAYGROUND_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PLAYGROUND_PORT must be a port number (got "${raw}").`);
  return port;
}

function banner(app: App, playground: Playground, sim: Simulator | undefined, askedPort: number): string {
  const busy = playground.port === askedPort ? '' : `  (port ${askedPort} was busy)`;
  return [
    '',
    '================================================================================',
    `  Open the local Teams:   ${playground.url}${busy}`,
    '  Pick the team "Marketing Ops" > channel "Event migrations", then type',
    '    @Event migration migrate 11111111-1111-4111-8111-111111111111 22222222-2222-4222-8222-222222222222',
    '  (choose the bot from the @ list), tick the checklist and press Approve.',
    '',
    `  Bot:                    ${app.server.url}/api/messages`,
    sim ? `  Events API simulator:   ${sim.url}` : '  Events API:             the EVENTS_API_ENDPOINT of .env (simulator off)',
    `  Playground log:         ${path.relative(process.cwd(), playground.logFile)}`,
    '  Ctrl-C stops all three.',
    '================================================================================',
    '',
  ].join('\n');
}

async function stopAll(r: Running): Promise<void> {
  // The client first, so nothing new reaches the bot; the bot next, so it stops polling the simulator.
  await r.playground?.stop().catch(() => undefined);
  await r.app?.stop().catch(() => undefined);
  await r.sim?.close().catch(() => undefined);
}

function onSignals(running: Running): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: do not wait any longer
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the Playground, the bot and the simulator.\n`);
    void stopAll(running).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  readDotEnv();
  const env: Env = { ...process.env };
  const running: Running = {};
  onSignals(running);
  try {
    if (!env.EVENTS_API_ENDPOINT) running.sim = await startSim(env);
    const config = loadConfig(devEnv(env, running.sim), { requireEventsApi: true });
    running.app = await buildApp(config);
    const askedPort = playgroundPort(env);
    running.playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${running.app.server.port}/api/messages`,
      port: askedPort,
      workDir: ROOT,
      configFile: path.join(ROOT, PLAYGROUND_CONFIG_FILE),
    });
    process.stdout.write(banner(running.app, running.playground, running.sim, askedPort));
  } catch (err) {
    await stopAll(running);
    throw err;
  }
}

main().catch((err) => {
  const code = (err as { code?: string }).code;
  const why = code === 'EADDRINUSE' ? `a port is already in use (${(err as Error).message})` : (err as Error).message;
  process.stderr.write(`npm run dev could not start: ${why}\n`);
  process.exit(1);
});
