import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __CLIENT_VERSION__: JSON.stringify(version) }, // as tsup does for the build
  test: {
    include: ['test/**/*.test.ts'],
    // One Prism mock on the bundle for the whole run; contract tests read its URL with inject('mockUrl').
    globalSetup: ['@easemob-import/mock/vitest'],
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 30_000,
  },
});
