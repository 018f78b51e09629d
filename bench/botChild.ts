import { loadConfig } from '../src/config';
import { buildApp } from '../src/index';
import { reportFailure, reportToParent } from './selfReport';

/**
 * The bot as `npm start` runs it (configuration from the environment, logs to stdout), in a process of its own
 * so its memory and CPU can be measured. BENCH_MAX_STRETCH=1 keeps the poll at the base interval, which is how
 * the "polled every second" case is made.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { requireEventsApi: true });
  const maxStretch = process.env.BENCH_MAX_STRETCH ? Number(process.env.BENCH_MAX_STRETCH) : undefined;
  const app = await buildApp(config, { host: '127.0.0.1', pollRules: maxStretch ? { maxStretch } : {} });
  await app.resumed;
  const stop = () => app.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  reportToParent(app.server.port);
}

main().catch(reportFailure);
