// Runs every package's tests through turbo, then prints one line summed from the
// vitest JSON reports the runs wrote: "N passed, N failed[, N skipped]".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = ['spec', 'packages/client', 'packages/mock', 'apps/docs', 'apps/migrate', 'release'];
const reports = workspaces.map((w) => join(root, w, '.vitest-report.json'));
for (const r of reports) rmSync(r, { force: true });

const filtered = process.argv.slice(2).some((a) => a.startsWith('--filter'));
const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', TURBO_TELEMETRY_DISABLED: '1' },
});

let passed = 0, failed = 0, skipped = 0;
for (const [i, r] of reports.entries()) {
  if (!existsSync(r)) {
    // Unless a filter left it out, a package without a report crashed before vitest could write one.
    if (!filtered) { console.error(`no test report from ${workspaces[i]}`); failed += 1; }
    continue;
  }
  const report = JSON.parse(readFileSync(r, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests but is still a failure.
  failed += report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
}
const ok = turbo.status === 0 && failed === 0;
if (!ok && failed === 0) failed = 1; // turbo failed outside vitest (e.g. a build step)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
