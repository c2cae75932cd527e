import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The built package, resolved by name, exactly as other packages use it.
    globalSetup: ['@easemob-import/mock/vitest'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
