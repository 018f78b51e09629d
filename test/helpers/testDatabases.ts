import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** A database of the kinds the bot can run on, made fresh for one test. */
export interface TestDatabase {
  url: string;
  /** the SQLite file (SQLite only) */
  file?: string;
  dir?: string;
  drop(): Promise<void>;
}

export interface StoreKind {
  name: 'SQLite' | 'PostgreSQL';
  /** why this kind cannot be tested on this run, if it cannot */
  missing(): string | undefined;
  create(): Promise<TestDatabase>;
}

export const SQLITE: StoreKind = {
  name: 'SQLite',
  missing: () => undefined,
  create: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
    const file = path.join(dir, 'bot.db');
    return { url: `sqlite:${file}`, file, dir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
};

export const POSTGRES: StoreKind = {
  name: 'PostgreSQL',
  missing: () =>
    process.env.TEST_POSTGRES_URL ? undefined : (process.env.TEST_POSTGRES_MISSING ?? 'TEST_POSTGRES_URL not set'),
  create: async () => {
    const server = process.env.TEST_POSTGRES_URL;
    if (!server) throw new Error('no test PostgreSQL server (TEST_POSTGRES_URL)');
    const name = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await onServer(server, `CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  },
};

export const STORE_KINDS: readonly StoreKind[] = [SQLITE, POSTGRES];

export async function onServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `describe` once per store kind. A kind that cannot be had is skipped with a warning in the output (the
 * global setup has already failed the run if that happens under CI=true without TEST_POSTGRES=skip).
 */
export function describeEachStore(title: string, body: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    const missing = kind.missing();
    if (missing) {
      describe.skip(`${kind.name} job store: ${title} (SKIPPED: ${missing})`, () => body(kind));
      continue;
    }
    describe(`${kind.name} job store: ${title}`, () => body(kind));
  }
}

/** `describe` for PostgreSQL only, skipped loudly where it cannot be had. */
export function describePostgres(title: string, body: () => void): void {
  const missing = POSTGRES.missing();
  if (missing) describe.skip(`PostgreSQL: ${title} (SKIPPED: ${missing})`, body);
  else describe(`PostgreSQL: ${title}`, body);
}
