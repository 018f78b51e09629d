/**
 * What `npm run dev` keeps between runs, and `--fresh`: the bot's SQLite database and, beside it, the simulated
 * organisation's state file (src/sim/simState.ts), so a migration stopped half-way goes on at the next start.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The simulated organisation's state file: beside the bot's SQLite database, named after it. */
export function simStateFileFor(databaseUrl: string | undefined): string | undefined {
  const file = databaseUrl?.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : undefined;
  if (!file || file === ':memory:') return undefined;
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}.sim.json`);
}

/** `--fresh`: the database (with its WAL files) and the simulated organisation's state go. */
export function startOver(databaseUrl: string | undefined, stateFile: string | undefined): void {
  const db = databaseUrl?.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : undefined;
  const files = [...(db && db !== ':memory:' ? [db, `${db}-wal`, `${db}-shm`] : []), ...(stateFile ? [stateFile] : [])];
  for (const file of files) fs.rmSync(file, { force: true });
  process.stdout.write(
    `--fresh: starting over (${files.map((f) => path.relative(process.cwd(), f)).join(', ')} removed).\n`,
  );
}

export function readArguments(argv: readonly string[]): { fresh: boolean } {
  const unknown = argv.filter((a) => a !== '--fresh');
  if (unknown.length > 0)
    throw new Error(`unknown argument ${unknown.map((a) => `"${a}"`).join(', ')} (the only one is --fresh).`);
  return { fresh: argv.includes('--fresh') };
}
