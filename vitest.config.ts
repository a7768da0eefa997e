import { defineConfig } from 'vitest/config';

// Integration tests run on the embedded database always, and again on PostgreSQL when
// TEST_DATABASE_URL is set: one vitest project per database kind.
const pg = process.env.TEST_DATABASE_URL;
const common = {
  include: ['src/**/*.test.ts'],
  globalSetup: ['src/test/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    // Two workers on the 2-core CI machine: integration tests spend much of their time waiting on the
    // database, so the second worker nearly halves the unit step (the default would be one).
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'pglite', env: { DQ_TEST_DB: 'pglite' } } },
      ...(pg
        ? [
            {
              test: {
                ...common,
                name: 'postgres',
                include: ['src/**/*.int.test.ts'],
                globalSetup: ['src/test/global-setup-postgres.ts'],
                env: { DQ_TEST_DB: 'postgres', TEST_DATABASE_URL: pg },
              },
            },
          ]
        : []),
      // The browser apps' unit tests (web/**): jsdom and Testing Library, fetch stubbed at the
      // network boundary (web/test/api.ts); no database, so none of the set-up above.
      {
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['web/**/*.test.{ts,tsx}'],
          setupFiles: ['web/test/setup.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
