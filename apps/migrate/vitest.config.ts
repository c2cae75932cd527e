import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Prism contract mock (inject('mockUrl')), and a fresh dist/cli.js for the process-level tests.
    globalSetup: ['@easemob-import/mock/vitest', './test/support/build.ts'],
    // One file at a time: the fault, kill and pacing tests measure time and spawn processes, and must not
    // compete with each other (or with Prism) for the CPU.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
