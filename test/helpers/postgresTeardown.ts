import type { TestPostgres } from './postgresServer';

/** jest globalTeardown: stops the server postgresGlobal.ts started and removes its data folder. */
export default async function teardown(): Promise<void> {
  (globalThis as { testPostgres?: TestPostgres }).testPostgres?.stop();
}
