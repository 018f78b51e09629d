/**
 * `npm run dev`: the whole thing on one machine with embedded defaults — the Events API simulator at a demo
 * speed, the bot, and the Microsoft 365 Agents Playground as the Teams client. A `.env` with a real
 * EVENTS_API_ENDPOINT switches the simulator off. Ctrl-C stops them all. The bot's database and the simulated
 * organisation are both kept between runs (so a migration stopped half-way goes on); `--fresh` starts both over.
 */
import path from 'node:path';
import { readDotEnv } from '../src/config';
import type { App } from '../src/index';
import { simOptionsFromEnv } from '../src/sim/main';
import type { Simulator, SimulatorOptions } from '../src/sim/simulator';
import { readArguments, simStateFileFor, startOver } from './devState';
import { startLocalStack, type LocalStack } from './localStack';
import { readableLog } from './readableLog';
import { DEFAULT_PLAYGROUND_PORT, PLAYGROUND_CONFIG_FILE, type Playground } from './playground';
import { packageRoot } from '../src/cards/packageRoot';

type Env = Record<string, string | undefined>;

const ROOT = packageRoot(__dirname);

/** 300 registrations at 2 a second: a migration that ends in about 2.5 minutes, long enough to watch. */
const DEMO_SIM: Env = { SIM_REGISTRATIONS: '300', SIM_SPEED: '2', SIM_HOST: '127.0.0.1' };

function simOptions(env: Env): SimulatorOptions {
  const read = simOptionsFromEnv({ ...DEMO_SIM, ...env });
  if ('problems' in read) throw new Error(read.problems.join(' '));
  return read.options;
}

/** The bot's environment for dev: its own database, and a status read every 5 s from the simulator. */
function devEnv(env: Env): Env {
  const simulated = !env.EVENTS_API_ENDPOINT;
  return { ...(simulated ? { STATUS_POLL_INTERVAL_MS: '5000' } : {}), DATABASE_URL: 'sqlite:./data/dev.db', ...env };
}

function playgroundPort(env: Env): number {
  const raw = env.PLAYGROUND_PORT?.trim();
  const port = raw ? Number(raw) : DEFAULT_PLAYGROUND_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PLAYGROUND_PORT must be a port number (got "${raw}").`);
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
    '  (choose the bot from the @ list). The card fills in its checks from the simulated Dataverse; its live',
    '  journey fails one on purpose: tick the checklist, "Override the failed checks", give a reason, Approve.',
    '',
    `  Bot:                    ${app.server.url}/api/messages`,
    sim
      ? `  Events API simulator:   ${sim.url}`
      : '  Events API:             the EVENTS_API_ENDPOINT of .env (simulator off)',
    `  Playground log:         ${path.relative(process.cwd(), playground.logFile)}`,
    '  Ctrl-C stops them all.',
    '================================================================================',
    '',
  ].join('\n');
}

function onSignals(stack: () => LocalStack | undefined): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: do not wait any longer
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the Playground, the bot and the simulator.\n`);
    void Promise.resolve(stack()?.stop()).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const { fresh } = readArguments(process.argv.slice(2));
  readDotEnv();
  const env: Env = { ...process.env };
  let stack: LocalStack | undefined = undefined;
  onSignals(() => stack);
  const askedPort = playgroundPort(env);
  const botEnv = devEnv(env);
  const simStateFile = env.EVENTS_API_ENDPOINT ? undefined : simStateFileFor(botEnv.DATABASE_URL);
  if (fresh) startOver(botEnv.DATABASE_URL, simStateFile);
  stack = await startLocalStack({
    env: botEnv,
    simStateFile,
    sim: env.EVENTS_API_ENDPOINT ? undefined : simOptions(env),
    log: readableLog(),
    playground: { port: askedPort, workDir: ROOT, configFile: path.join(ROOT, PLAYGROUND_CONFIG_FILE) },
  });
  process.stdout.write(banner(stack.app, stack.playground, stack.sim, askedPort));
  if (stack.dataverse) process.stdout.write(`  Dataverse simulator (same organisation): ${stack.dataverse.url}\n\n`);
}

main().catch((err) => {
  const code = (err as { code?: string }).code;
  const why = code === 'EADDRINUSE' ? `a port is already in use (${(err as Error).message})` : (err as Error).message;
  process.stderr.write(`npm run dev could not start: ${why}\n`);
  process.exit(1);
});
