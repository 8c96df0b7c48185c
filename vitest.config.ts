import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Tests wait for events, not for the clock; these deadlines only catch a hang, so they are
    // generous enough for a loaded 2-core machine running two suites at once.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Test files start real servers and worker pools; two cores, so keep concurrency modest.
    maxWorkers: 2,
  },
});
