/**
 * `npm run dev`: the whole thing on one machine with embedded defaults — the Events API simulator (a demo speed),
 * the bot, and (when installed) the Microsoft 365 Agents Playground as the Teams client. A `.env` with a real
 * EVENTS_API_ENDPOINT switches the simulator off.
 */
import { loadConfig, readDotEnv } from '../src/config';
import { buildApp } from '../src/index';
import { startSimulator } from '../src/sim/simulator';

async function main(): Promise<void> {
  readDotEnv();
  const env = { ...process.env };
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
  if (!env.EVENTS_API_ENDPOINT) {
    sim = await startSimulator({
      port: Number(env.SIM_PORT ?? 7071),
      token: env.SIM_TOKEN ?? 'dev-token',
      registrations: Number(env.SIM_REGISTRATIONS ?? 300),
      speed: Number(env.SIM_SPEED ?? 2),
    });
    env.EVENTS_API_ENDPOINT = sim.url;
    env.EVENTS_API_TOKEN = env.SIM_TOKEN ?? 'dev-token';
    env.STATUS_POLL_INTERVAL_MS ??= '5000';
    process.stdout.write(`Events API simulator: ${sim.url}\n`);
  }
  env.DATABASE_URL ??= 'sqlite:./data/dev.db';
  const app = await buildApp(loadConfig(env, { requireEventsApi: true }));
  process.stdout.write(`Bot: ${app.server.url}/api/messages\n`);
  const stop = async () => {
    await app.stop();
    await sim?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`npm run dev could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
