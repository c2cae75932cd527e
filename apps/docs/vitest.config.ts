import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Prism mock on the bundle for the run; the code-sample tests read its URL with inject('mockUrl').
    globalSetup: ['@easemob-import/mock/vitest'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    // One file at a time: the browser test measures render time and should not share the 2 cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
