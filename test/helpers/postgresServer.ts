import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL server for tests: a fresh data folder, trust authentication, listening on a free
 * loopback port only. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user.
 */
export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  stop(): void;
  /** stops the server, keeping its data folder and port */
  halt(): void;
  /** starts a halted server again */
  resume(): void;
}

/** Debian keeps each major version's server binaries apart, off the PATH: the newest first */
function binDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'));
}

function findBin(name: string): string | undefined {
  for (const dir of binDirs()) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

/** why PostgreSQL cannot be had here, or undefined when it can */
export function postgresMissing(): string | undefined {
  if (!findBin('initdb') || !findBin('pg_ctl')) return 'initdb/pg_ctl not found (apt-get install -y postgresql)';
  if (process.getuid?.() === 0 && spawnSync('id', ['postgres']).status !== 0) return 'no postgres system user';
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `fsync`: off unless asked (tests need no durability of the server's own; benchmarks do) */
export async function startTestPostgres(options: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const missing = postgresMissing();
  if (missing) throw new Error(`PostgreSQL cannot be started: ${missing}`);
  const initdb = findBin('initdb')!;
  const pgCtl = findBin('pg_ctl')!;
  const asRoot = process.getuid?.() === 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-test-'));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dataDir]);
  // run from the data folder: the postgres user may not be allowed into the checkout's folder
  const run = (file: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe', cwd: dataDir })
      : execFileSync(file, args, { stdio: 'pipe', cwd: dataDir });
  const port = await freePort();
  run(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // the socket lives in the data folder (the system's folder needs privileges)
  const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dataDir} -c fsync=${options.fsync ? 'on' : 'off'} -c max_connections=200`;
  const start = () =>
    run(pgCtl, ['-D', dataDir, '-o', settings, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
  const stop = () => {
    try {
      run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => {
      stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    halt: stop,
    resume: start,
  };
}
