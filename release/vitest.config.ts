import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/consumer/ is the consumer project's own test, run by consumer.test.ts inside each npm install.
    exclude: [...configDefaults.exclude, 'test/consumer/**'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
