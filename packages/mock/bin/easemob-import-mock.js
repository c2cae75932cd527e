#!/usr/bin/env node
// The command's entry. It is committed (dist/ is not), so installing the workspace can link it before the first build.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('easemob-import-mock is not built yet: run `pnpm build` in the repository first.');
  process.exit(1);
}
await import(cli.href);
