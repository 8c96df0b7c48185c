import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the workspace packages from their TypeScript source, not their compiled dist/.
const SOURCE = '@folio/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files start real servers and worker pools; two cores, so keep concurrency modest.
    maxWorkers: 2,
    // Servers started inside test processes keep their job logs (info) to themselves.
    env: { FOLIO_LOG_LEVEL: 'warn' },
  },
});
