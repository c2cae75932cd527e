#!/usr/bin/env node
// The command's entry. It is committed (dist/ is not), so installing the workspace can link it before the first build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('easemob-import is not built yet: run `pnpm build` in the repository first.');
  process.exit(1);
}
process.argv[1] = fileURLToPath(cli); // dist/cli.js runs its command when it is the script node was started with
await import(cli.href);
