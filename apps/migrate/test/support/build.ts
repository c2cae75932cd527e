// Global setup: the process-level tests (SIGKILL, signals, exit codes) run dist/cli.js, the file users get.
// Build it when it is missing or older than a source file, so `vitest` alone never tests a stale build.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup() {
  let built = 0;
  try {
    built = statSync(join(root, 'dist/cli.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs)) {
    execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')], { cwd: root, stdio: 'ignore' });
  }
}
