import path from 'node:path';

/** Where the store lives, as read from DATABASE_URL. Only SQLite for now; PostgreSQL gets its own kind later. */
export type DatabaseLocation = { kind: 'sqlite'; file: string } | { kind: 'sqlite-memory' };

const USAGE = 'DATABASE_URL must look like sqlite:./data/bot.db; postgres is not supported yet';

/**
 * `sqlite:<path>` (relative to `cwd`) or `sqlite::memory:`.
 * The error names only the scheme: a postgres URL carries a password and must not reach a log.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  if (scheme === undefined || scheme.toLowerCase() !== 'sqlite') {
    throw new Error(scheme === undefined ? USAGE : `${USAGE} (got a "${scheme}:" URL)`);
  }
  const rest = trimmed.slice(scheme.length + 1);
  if (rest === ':memory:') return { kind: 'sqlite-memory' };
  if (rest === '') throw new Error(`${USAGE} (the path after "sqlite:" is empty)`);
  return { kind: 'sqlite', file: path.resolve(cwd, rest) };
}
