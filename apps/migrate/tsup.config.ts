import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
  // The spec bundle is inlined: the schema the CLI validates with is the one it was built and tested against.
  noExternal: ['@easemob-import/spec'],
});
