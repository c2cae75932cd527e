import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The built package, resolved by name, exactly as other packages use it.
    globalSetup: ['@easemob-import/mock/vitest'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000, // hooks start Prism, which takes seconds on a busy machine
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
