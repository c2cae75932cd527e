// `easemob-import status`: what the runs on a state directory have done, read from the journal (no lock taken,
// so it works while a run is going). `--repair` sets damaged journal lines aside, under the lock.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { JOURNAL_FILE, LineState, loadJournal } from '../journal.js';
import { lockHolder } from '../lock.js';
import { FILES, type Summary } from '../report.js';
import { repairJournal } from '../state/repair.js';

export async function statusCommand(o: { stateDir: string; json: boolean; repair?: boolean; stdout: NodeJS.WritableStream }): Promise<0 | 1> {
  if (!existsSync(join(o.stateDir, JOURNAL_FILE))) throw new UsageError(`${o.stateDir} has no journal: no run has used this state directory`);
  if (o.repair) {
    const r = await repairJournal(o.stateDir);
    o.stdout.write(
      r.damaged === 0
        ? `${join(o.stateDir, JOURNAL_FILE)} has no damaged lines; nothing changed\n`
        : `set ${r.damaged} damaged journal line${r.damaged === 1 ? '' : 's'} aside in ${r.aside}; ${r.uncertain.length} line${r.uncertain.length === 1 ? '' : 's'} they mention ${r.uncertain.length === 1 ? 'is' : 'are'} now uncertain${r.unreadable ? `; ${r.unreadable} named no line (if one was a send record, its line will be sent again)` : ''}. Every imported line is kept.\n`,
    );
  }
  const loaded = await loadJournal(o.stateDir);
  const c = loaded.states.counts();
  const counts = { imported: c[LineState.Imported], failed: c[LineState.Failed], uncertain: c[LineState.Uncertain], held: c[LineState.Held], in_flight: c[LineState.InFlight] };
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(join(o.stateDir, FILES.summary), 'utf8'));
  } catch {
    summary = undefined; // no run has finished yet
  }
  const last = loaded.lastStart;
  const running = await lockHolder(o.stateDir);
  const phase = running ? 'running' : !loaded.lastEnd ? 'stopped without finishing (crash or kill)' : loaded.lastEnd.interrupted ? 'stopped early' : 'finished';
  const total = last?.total;
  const invalid = summary?.invalid ?? 0;
  const settled = counts.imported + counts.failed + counts.uncertain + counts.held + counts.in_flight + invalid;
  const notSent = total === undefined ? undefined : Math.max(0, total - settled);
  const target = loaded.binding?.target;
  const status = {
    state: o.stateDir, input: last?.input, total: total ?? null, runs: loaded.runs,
    ...(target && { target }),
    last_run: { started_at: last?.at, phase, ...(running && { pid: running }) },
    ...counts, invalid, not_sent: notSent ?? null, last_summary: summary ?? null,
  };

  if (o.json) o.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  else {
    o.stdout.write(
      [
        `${o.stateDir}: ${last?.input ?? '?'}${total !== undefined ? ` (${total} lines)` : ''}${target ? ` into ${target.base_url} ${target.org}#${target.app}` : ''}, ${loaded.runs} run${loaded.runs === 1 ? '' : 's'}, the last started ${last?.at ?? '?'} and ${phase}${running ? ` (pid ${running})` : ''}`,
        `  imported ${counts.imported}, failed ${counts.failed + invalid}${invalid ? ` (${invalid} invalid)` : ''}, uncertain ${counts.uncertain}, held ${counts.held}, in flight ${counts.in_flight}${notSent !== undefined ? `, not sent yet ${notSent}` : ''}`,
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
