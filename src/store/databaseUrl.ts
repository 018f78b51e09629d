import path from 'node:path';

/** Where the store lives, as read from DATABASE_URL. */
export type DatabaseLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'sqlite-memory' }
  /** `url` as given (it may carry a password: never log it; `display` is safe to log) */
  | { kind: 'postgres'; url: string; display: string };

const USAGE = 'DATABASE_URL must look like sqlite:./data/bot.db or postgres://user:password@host:5432/database';

/**
 * `sqlite:<path>` (relative to `cwd`), `sqlite::memory:`, or `postgres://...` / `postgresql://...`.
 * The error names only the scheme: a postgres URL carries a password and must not reach a log.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return postgresLocation(trimmed);
  if (scheme !== 'sqlite') {
    throw new Error(scheme === undefined ? USAGE : `${USAGE} (got a "${scheme}:" URL)`);
  }
  const rest = trimmed.slice(scheme.length + 1);
  if (rest === ':memory:') return { kind: 'sqlite-memory' };
  if (rest === '') throw new Error(`${USAGE} (the path after "sqlite:" is empty)`);
  return { kind: 'sqlite', file: path.resolve(cwd, rest) };
}

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

function postgresLocation(url: string): DatabaseLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${USAGE} (the postgres URL cannot be read)`);
  }
  if (!parsed.hostname) throw new Error(`${USAGE} (the postgres URL names no host)`);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode))
    throw new Error(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')}`);
  const database = parsed.pathname.replace(/^\//, '') || '(default)';
  const display = `postgres://${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}/${database}${sslmode ? ` (sslmode=${sslmode})` : ''}`;
  return { kind: 'postgres', url, display };
}
