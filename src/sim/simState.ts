/**
 * The simulated organisation's state in a file, so a simulator stopped in the middle of a migration and started
 * again continues it, as a real service would across a restart of the bot. What is kept: the Events API's jobs
 * (each a pure function of its settings and the clock, so its progress needs no saving of its own) and, for the
 * organisation, the Dataverse tables as stored (rows the bot created; the migrated registrations are derived from
 * the jobs). Written whole to a temporary file and renamed, so a stop at any moment leaves the old or the new.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SimData } from './dataverse/tables';
import type { SimJob } from './job';

export interface SimSnapshot {
  jobs: SimJob[];
  dataverse?: SimData;
}

const VERSION = 1;

/** The snapshot in the file; undefined when there is none. A file that cannot be read is an error that says so. */
export function loadSimState(file: string): SimSnapshot | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, (err as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unreadable(file, 'it is not JSON');
  }
  const problem = whatIsWrong(parsed);
  if (problem) throw unreadable(file, problem);
  const { jobs, dataverse } = parsed as SimSnapshot;
  return { jobs, dataverse };
}

export function saveSimState(file: string, snapshot: SimSnapshot): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ version: VERSION, savedAt: new Date().toISOString(), ...snapshot })}\n`);
  fs.renameSync(temp, file);
}

function unreadable(file: string, why: string): Error {
  return new Error(
    `The simulator's state file ${file} cannot be used (${why}). Delete it to start the simulated organisation afresh (npm run dev -- --fresh does).`,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function whatIsWrong(value: unknown): string | undefined {
  if (!isObject(value)) return 'it holds no object';
  if (value.version !== VERSION) return `its version is ${JSON.stringify(value.version)}, not ${VERSION}`;
  if (!Array.isArray(value.jobs)) return '"jobs" is not a list';
  const bad = value.jobs.findIndex((job) => !isSimJob(job));
  if (bad >= 0) return `job ${bad + 1} is not a simulated job`;
  if (value.dataverse !== undefined) {
    if (!isObject(value.dataverse)) return '"dataverse" is not an object';
    const table = Object.entries(value.dataverse).find(([, rows]) => !Array.isArray(rows) || !rows.every(isObject));
    if (table) return `the Dataverse table "${table[0]}" is not a list of rows`;
  }
  return undefined;
}

function isSimJob(v: unknown): boolean {
  if (!isObject(v) || !isObject(v.settings)) return false;
  const s = v.settings;
  return (
    typeof v.fromEventId === 'string' &&
    typeof v.toEventId === 'string' &&
    ['createdAt', 'startsAt', 'baseAt', 'baseProcessed'].every((k) => isNumber(v[k])) &&
    (v.stoppedAt === undefined || isNumber(v.stoppedAt)) &&
    ['total', 'speed', 'failedCount', 'queueMs'].every((k) => isNumber(s[k])) &&
    typeof s.outcome === 'string'
  );
}

/**
 * Simulator options that start from the file's jobs and write them back on every change: for `npm run sim`
 * with SIM_STATE, and for the Events API half of the organisation (which adds its Dataverse tables, `extra`).
 */
export function persistedJobs(
  file: string,
  loaded: SimSnapshot | undefined,
  extra: () => Omit<SimSnapshot, 'jobs'> = () => ({}),
): { jobs: SimJob[]; onJobsChanged: (jobs: SimJob[]) => void } {
  return {
    jobs: loaded?.jobs ?? [],
    onJobsChanged: (jobs) => saveSimState(file, { jobs, ...extra() }),
  };
}
