/**
 * `npm run sim`: the simulator alone, configured from SIM_* variables, printing what to paste into `.env`.
 * It keeps nothing between runs unless SIM_STATE names a file to keep its jobs in.
 */
import { SIM_OUTCOMES, type SimOutcome } from './job';
import { DEFAULT_SIM_TOKEN, startSimulator, type SimulatorOptions } from './simulator';
import { loadSimState, persistedJobs } from './simState';
import { STATUS_VARIANTS, isStatusVariant } from './variants';

type Env = Record<string, string | undefined>;

function number(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) problems.push(`${name} must be a number of at least 0 (got "${raw}").`);
  return n;
}

/** The options from the environment, or the list of what is wrong with it. */
export function simOptionsFromEnv(env: Env): { options: SimulatorOptions } | { problems: string[] } {
  const problems: string[] = [];
  const port = number(env, 'SIM_PORT', 7071, problems);
  if (Number.isFinite(port) && (!Number.isInteger(port) || port > 65535))
    problems.push('SIM_PORT must be a port number (0-65535).');
  const variant = env.SIM_VARIANT?.trim() || 'flat';
  if (!isStatusVariant(variant)) problems.push(`SIM_VARIANT must be one of ${STATUS_VARIANTS.join(', ')}.`);
  const outcome = env.SIM_OUTCOME?.trim() || 'completed';
  if (!(SIM_OUTCOMES as readonly string[]).includes(outcome))
    problems.push(`SIM_OUTCOME must be one of ${SIM_OUTCOMES.join(', ')}.`);
  const options: SimulatorOptions = {
    host: env.SIM_HOST?.trim() || '127.0.0.1',
    port,
    token: env.SIM_TOKEN || DEFAULT_SIM_TOKEN,
    registrations: Math.floor(number(env, 'SIM_REGISTRATIONS', 300, problems)),
    speed: number(env, 'SIM_SPEED', 5, problems),
    variant: isStatusVariant(variant) ? variant : 'flat',
    outcome: outcome as SimOutcome,
  };
  return problems.length > 0 ? { problems } : { options };
}

function banner(url: string, token: string, o: SimulatorOptions): string {
  const q = `?emApplicationtoken=${encodeURIComponent(token)}`;
  return [
    `Events API simulator listening: ${o.registrations} registrations a job at ${o.speed}/s, ending ${o.outcome}, status shape "${o.variant}".`,
    '',
    'Paste into .env:',
    `EVENTS_API_ENDPOINT=${url}`,
    `EVENTS_API_TOKEN=${token}`,
    '',
    'Try it:',
    `curl -i -X POST '${url}obmMigration/start${q}' -H 'content-type: application/json' \\`,
    `  -d '{"fromEventId":"11111111-1111-4111-8111-111111111111","toEventId":"22222222-2222-4222-8222-222222222222"}'`,
    `curl -s '${url}obmMigration/status${q}'`,
    '',
    'Ctrl+C stops it.',
  ].join('\n');
}

async function main(): Promise<void> {
  const read = simOptionsFromEnv(process.env);
  if ('problems' in read) {
    console.error(`The simulator cannot start:\n- ${read.problems.join('\n- ')}`);
    process.exitCode = 1;
    return;
  }
  const stateFile = process.env.SIM_STATE?.trim();
  const kept: Partial<ReturnType<typeof persistedJobs>> = stateFile
    ? persistedJobs(stateFile, loadSimState(stateFile))
    : {};
  const options = {
    ...read.options,
    ...kept,
    log: (line: string) => console.log(`${new Date().toISOString()} ${line}`),
  };
  const sim = await startSimulator(options);
  console.log(banner(sim.url, options.token ?? DEFAULT_SIM_TOKEN, options));
  if (stateFile) console.log(`Its jobs are kept in ${stateFile} (${kept.jobs?.length ?? 0} there at start).`);
  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping the simulator.`);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    console.error(code === 'EADDRINUSE' ? 'The simulator cannot start: SIM_PORT is already in use.' : error);
    process.exitCode = 1;
  });
}
