import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the workspace packages from their TypeScript source, not their compiled dist/.
const SOURCE = '@folio/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  // Not vite's 'module' condition for Node: some packages (the AWS SDK) map it to builds
  // meant for bundlers, whose extensionless imports Node cannot load.
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Tests wait for events, not for the clock; these deadlines only catch a hang, so they are
    // generous enough for a loaded 2-core machine running two suites at once.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Test files start real servers and worker pools; two cores, so keep concurrency modest.
    maxWorkers: 2,
    // Servers started inside test processes keep their job logs (info) to themselves. OCR
    // reads each page once unless a test asks for the vote (the default where PP-OCR is
    // installed, and four times the OCR time): tests pin the mode they test.
    env: { FOLIO_LOG_LEVEL: 'warn', FOLIO_OCR_MODE: 'single' },
  },
});
