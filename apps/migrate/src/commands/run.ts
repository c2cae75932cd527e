// `easemob-import run FILE`: wires the runner to signals and prints the outcome.
import { join } from 'node:path';
import { FILES, type Summary } from '../report.js';
import { formatDuration } from '../progress.js';
import { startRun, type RunOptions } from '../runner.js';

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
    `${s.interrupted ? 'stopped' : 'done'}: ${s.imported} imported, ${s.skipped} skipped (imported earlier), ${s.failed} failed${s.invalid ? ` (${s.invalid} invalid)` : ''}, ${s.uncertain} uncertain, ${s.pending} pending, of ${s.total} lines`,
    `  ${formatDuration(s.elapsed_ms / 1000)}, ${s.rate_per_s} calls/s, latency p50 ${s.latency_ms.p50} ms, p95 ${s.latency_ms.p95} ms, ${s.retries} retries, ${s.rate_limited} rate-limited${s.fixed_timestamps ? `, ${s.fixed_timestamps} timestamps fixed` : ''}`,
    `  state: ${dir}`,
  ];
  if (s.failed) out.push(`  failed lines: ${join(dir, FILES.failed)} (fix them and import that file)`);
  if (s.uncertain) out.push(`  uncertain lines: ${join(dir, FILES.uncertain)} (check in Easemob whether they arrived before sending them again)`);
  if (s.pending) out.push('  run the same command again to continue with the pending lines');
  return `${out.join('\n')}\n`;
}
