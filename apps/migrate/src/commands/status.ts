// `easemob-import status`: what the runs on a state directory have done, read from the journal (no lock taken,
// so it works while a run is going).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { JOURNAL_FILE, LineState, loadJournal } from '../journal.js';
import { FILES, type Summary } from '../report.js';

export async function statusCommand(o: { stateDir: string; json: boolean; stdout: NodeJS.WritableStream }): Promise<0 | 1> {
  if (!existsSync(join(o.stateDir, JOURNAL_FILE))) throw new UsageError(`${o.stateDir} has no journal: no run has used this state directory`);
  const loaded = await loadJournal(o.stateDir);
  const c = loaded.states.counts();
  const counts = { imported: c[LineState.Imported], failed: c[LineState.Failed], uncertain: c[LineState.Uncertain], in_flight: c[LineState.InFlight] };
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(join(o.stateDir, FILES.summary), 'utf8'));
  } catch {
    summary = undefined; // no run has finished yet
  }
  const last = loaded.lastStart;
  const running = lockHolder(o.stateDir);
  const phase = running ? 'running' : !loaded.lastEnd ? 'stopped without finishing (crash or kill)' : loaded.lastEnd.interrupted ? 'stopped early' : 'finished';
  const total = last?.total;
  const invalid = summary?.invalid ?? 0;
  const notSent = total === undefined ? undefined : Math.max(0, total - counts.imported - counts.failed - counts.uncertain - counts.in_flight - invalid);
  const status = { state: o.stateDir, input: last?.input, total: total ?? null, runs: loaded.runs, last_run: { started_at: last?.at, phase, ...(running && { pid: running }) }, ...counts, invalid, not_sent: notSent ?? null, last_summary: summary ?? null };

  if (o.json) o.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  else {
    o.stdout.write(
      [
        `${o.stateDir}: ${last?.input ?? '?'}${total !== undefined ? ` (${total} lines)` : ''}, ${loaded.runs} run${loaded.runs === 1 ? '' : 's'}, the last started ${last?.at ?? '?'} and ${phase}${running ? ` (pid ${running})` : ''}`,
        `  imported ${counts.imported}, failed ${counts.failed + invalid}${invalid ? ` (${invalid} invalid)` : ''}, uncertain ${counts.uncertain}, in flight ${counts.in_flight}${notSent !== undefined ? `, not sent yet ${notSent}` : ''}`,
      ].join('\n') + '\n',
    );
  }
  return 0;
}

/** The default state directory when there is exactly one under `.easemob-import/`. */
export function onlyStateDir(root: string): string {
  const dirs = existsSync(root) ? readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()) : [];
  if (dirs.length === 1) return join(root, dirs[0]);
  if (dirs.length === 0) throw new UsageError(`no state directory under ${root}; pass --state DIR or the input file`);
  throw new UsageError(`several state directories under ${root} (${dirs.join(', ')}); pass --state DIR or the input file`);
}

function lockHolder(dir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, 'lock'), 'utf8'), 10);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}
