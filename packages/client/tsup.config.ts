import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Builds only: the generated files under src/generated are written by `pnpm generate` and checked for drift by the
// tests, so a build never rewrites them behind the check's back.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  sourcemap: false,
  // The User-Agent names the version; baked in so the published entry does not read package.json at run time.
  define: { __CLIENT_VERSION__: JSON.stringify(version) },
});
