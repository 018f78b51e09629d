import { postgresMissing, startTestPostgres } from '../test/helpers/postgresServer';
import { Client } from 'pg';
import type { BenchResult } from './row';

/**
 * Runs a benchmark on a fresh database of a throwaway local PostgreSQL server (loopback, fsync on as a real
 * server has it). Without PostgreSQL on the machine the benchmark is left out and the run says so.
 */
export async function onPostgres(
  bench: (store: { name: string; url: string }) => Promise<BenchResult>,
): Promise<BenchResult> {
  const missing = postgresMissing();
  if (missing) {
    process.stdout.write(` SKIPPED (no PostgreSQL: ${missing})`);
    return { rows: [], details: { skipped: missing } };
  }
  const server = await startTestPostgres({ fsync: true });
  try {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE DATABASE bench').finally(() => client.end());
    const url = new URL(server.url);
    url.pathname = '/bench';
    return await bench({ name: 'PostgreSQL', url: url.toString() });
  } finally {
    server.stop();
  }
}
