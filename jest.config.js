/** Tests run through ts-jest without type information (isolatedModules) for speed; `npm run typecheck` checks types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  maxWorkers: 2,
  // one throwaway PostgreSQL server for the run (test/helpers/postgresGlobal.ts)
  globalSetup: '<rootDir>/test/helpers/postgresGlobal.ts',
  globalTeardown: '<rootDir>/test/helpers/postgresTeardown.ts',
};
