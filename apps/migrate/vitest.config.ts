import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Prism contract mock (inject('mockUrl')), and a fresh dist/cli.js for the process-level tests.
    globalSetup: ['@easemob-import/mock/vitest', './test/support/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
