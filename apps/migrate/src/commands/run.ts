// `easemob-import run FILE`: wires the runner to signals and prints the outcome.
import { join } from 'node:path';
import { FILES, type Summary } from '../report.js';
import { formatDuration } from '../progress.js';
import { startRun, type RunOptions } from '../runner.js';
import { describeDryRun, dryRun, type DryRunOptions } from '../send/dry-run.js';

export async function runCommand(o: RunOptions & { json: boolean; stdout: NodeJS.WritableStream }): Promise<0 | 1 | 2> {
  const handle = startRun(o);
  // Ctrl-C once: finish what is in flight, save, exit. Twice: abandon those calls (they become uncertain).
  const onSignal = () => {
    const what = handle.stop();
    o.stderr.write(
      what === 'stopping'
        ? `\nstopping: waiting for ${handle.inFlight} calls in flight to finish (press Ctrl-C again to abandon them; they would be recorded as uncertain)\n`
        : '\nabandoning calls in flight\n',
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { summary, exitCode, stopMessage } = await handle.done;
    if (o.json) o.stdout.write(`${JSON.stringify({ state: o.stateDir, ...summary, ...(stopMessage && { stopped: stopMessage }) }, null, 2)}\n`);
    else o.stdout.write(describe(summary, o.stateDir));
    if (stopMessage) o.stderr.write(`easemob-import: stopped: ${stopMessage}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function describe(s: Summary, dir: string): string {
  const out = [
    `${s.interrupted ? 'stopped' : s.limited ? 'limit reached' : 'done'}: ${s.imported} imported, ${s.skipped} skipped (imported earlier), ${s.failed} failed${s.invalid ? ` (${s.invalid} invalid)` : ''}, ${s.uncertain} uncertain, ${s.held} held, ${s.pending} pending, of ${s.total} lines`,
    `  ${formatDuration(s.elapsed_ms / 1000)}, ${s.rate_per_s} calls/s, latency p50 ${s.latency_ms.p50} ms, p95 ${s.latency_ms.p95} ms, ${s.retries} retries, ${s.rate_limited} rate-limited${s.fixed_timestamps ? `, ${s.fixed_timestamps} timestamps fixed` : ''}`,
    `  state: ${dir}`,
  ];
  if (s.failed) out.push(`  failed lines: ${join(dir, FILES.failed)} (fix them, then: easemob-import retry ${dir})`);
  if (s.uncertain) out.push(`  uncertain lines: ${join(dir, FILES.uncertain)} (check in Easemob whether they arrived, then: easemob-import retry ${dir} --uncertain resend|imported)`);
  if (s.held) out.push(`  held lines: ${join(dir, FILES.held)} (not sent, to keep their conversations in order; retry sends them after the line before them)`);
  if (s.pending) out.push(s.limited && !s.interrupted ? '  run the same command without --limit (or with a larger one) to continue' : '  run the same command again to continue with the pending lines');
  return `${out.join('\n')}\n`;
}

/** `run --dry-run`: what a run would do now, without calling Easemob or writing a state directory. */
export async function dryRunCommand(o: DryRunOptions & { json: boolean; stdout: NodeJS.WritableStream }): Promise<0 | 1> {
  const report = await dryRun(o);
  o.stdout.write(o.json ? `${JSON.stringify({ state: o.stateDir, ...report }, null, 2)}\n` : describeDryRun(report, o.stateDir));
  return report.invalid || report.failed || report.uncertain || report.held ? 1 : 0;
}
