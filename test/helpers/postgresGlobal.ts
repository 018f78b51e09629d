import { postgresMissing, startTestPostgres, type TestPostgres } from './postgresServer';

/**
 * jest globalSetup: one throwaway PostgreSQL server for the whole run; the stores' contract suite and the
 * replica tests read its URL from TEST_POSTGRES_URL (each test makes a database of its own on it).
 * TEST_POSTGRES=skip leaves it out on purpose (CI's second run of the suite on another Node); otherwise a
 * machine without PostgreSQL fails the run under CI=true, and elsewhere skips those tests with a warning.
 */
const holder = globalThis as { testPostgres?: TestPostgres };

export default async function setup(): Promise<void> {
  if (process.env.TEST_POSTGRES === 'skip') {
    process.env.TEST_POSTGRES_MISSING = 'TEST_POSTGRES=skip';
    return;
  }
  if (process.env.TEST_POSTGRES_URL) return;
  const missing = postgresMissing();
  try {
    if (missing) throw new Error(missing);
    holder.testPostgres = await startTestPostgres();
    process.env.TEST_POSTGRES_URL = holder.testPostgres.url;
  } catch (error) {
    const why = `PostgreSQL could not be started for the store tests: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${why}. CI does not pass without them.`);
    process.env.TEST_POSTGRES_MISSING = why;
    process.stderr.write(`\n\n!!!! ${why}\n!!!! THE POSTGRESQL STORE TESTS ARE SKIPPED ON THIS RUN.\n\n`);
  }
}
