import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files start real servers and worker pools; two cores, so keep concurrency modest.
    maxWorkers: 2,
  },
});
