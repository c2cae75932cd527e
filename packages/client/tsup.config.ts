import { defineConfig } from 'tsup';

// Builds only: the generated files under src/generated are written by `pnpm generate` and checked for drift by the
// tests, so a build never rewrites them behind the check's back.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  sourcemap: false,
});
