// `easemob-import convert --from SOURCE INPUT... -o OUT`: another platform's export to our JSON Lines, with
// convert-report.json beside the output. Exit 0: every record converted or skipped by a documented rule; 1: some
// records were bad or some groups have no --group-map entry (their messages are left out); 2: usage error, or
// two source users map to the same Easemob id (nothing is written).
import { existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { GroupIds, loadIdMap, UserIds } from '../convert/ids.js';
import { discoverInputs } from '../convert/inputs.js';
import { readInputs, writeOutput, type Progress } from '../convert/pipeline.js';
import { startConvertProgress } from '../convert/progress.js';
import { ConvertReport } from '../convert/report.js';
import { SOURCES, type SourceName } from '../convert/types.js';

export interface ConvertOptions {
  source: SourceName;
  inputs: string[];
  output: string;
  groupMap?: string;
  userMap?: string;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  progressIntervalMs: number;
}

export const REPORT_NAME = 'convert-report.json';

export async function convertCommand(o: ConvertOptions): Promise<0 | 1 | 2> {
  const started = performance.now();
  const outDir = dirname(o.output);
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new UsageError(`cannot write ${o.output}: no folder ${outDir}`);
  const users = new UserIds(o.userMap ? loadIdMap(o.userMap, '--user-map', 'user') : undefined);
  const groups = new GroupIds(o.groupMap ? loadIdMap(o.groupMap, '--group-map', 'group') : undefined);
  const inputs = await discoverInputs(o.inputs);
  // An output written into an input folder by an earlier run is not an input.
  const own = new Set([resolve(o.output), resolve(outDir, REPORT_NAME)]);
  inputs.entries = inputs.entries.filter((e) => !own.has(resolve(e.name)));
  if (inputs.entries.length === 0) throw new UsageError(`no files in ${o.inputs.join(', ')}`);

  // Temporary runs and the partial output live beside the output: same disk, and a cut-off run leaves no
  // half-written output behind.
  const tempDir = mkdtempSync(join(outDir, `.${basename(o.output)}.convert-`));
  const partial = join(tempDir, 'output.jsonl');
  const report = new ConvertReport();
  const progress: Progress = { phase: 'reading', done: 0, total: 0 };
  const display = startConvertProgress(o.stderr, o.progressIntervalMs, () => ({ ...progress, records: report.records, bad: report.badCount }));
  const options = { source: o.source, entries: inputs.entries, output: partial, tempDir, users, groups, report, progress };
  try {
    const { runs, recalls } = await readInputs(options);
    if (users.collisions.length) {
      display.stop();
      for (const c of users.collisions.slice(0, 100)) {
        o.stderr.write(`easemob-import: users ${JSON.stringify(c.sources[0])} and ${JSON.stringify(c.sources[1])} both map to ${JSON.stringify(c.easemob)}\n`);
      }
      o.stderr.write(`easemob-import: ${users.collisions.length} user id collisions; give each of these users its own id with --user-map (nothing was written)\n`);
      return 2;
    }
    await writeOutput(options, runs, recalls, inputs.entries.map((e) => e.name));
    renameSync(partial, o.output);
  } finally {
    display.stop();
    inputs.close();
    rmSync(tempDir, { recursive: true, force: true });
  }

  const reportPath = join(outDir, REPORT_NAME);
  const json = report.toJSON({ source: o.source, inputs: inputs.entries.length, output: o.output, users, groups, elapsedMs: Math.round(performance.now() - started) });
  writeFileSync(reportPath, `${JSON.stringify(json, null, 2)}\n`);
  if (o.json) o.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else {
    o.stdout.write(report.summary(json, reportPath));
    for (const b of json.bad_records.listed.slice(0, 20)) o.stdout.write(`${b.file}:${b.line}: ${b.problem}\n`);
  }
  return json.bad_records.count || json.unmapped_groups.length ? 1 : 0;
}

/** The `convert` command's flags, for the CLI. */
export function registerConvert(program: Command, io: { env: Record<string, string | undefined>; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } }, done: (code: number) => void) {
  program
    .command('convert')
    .description("Turn another platform's history export into JSON Lines for `validate` and `run`, with a report (convert-report.json beside the output).")
    .addOption(new Option('--from <source>', 'the platform the export comes from').choices(SOURCES).makeOptionMandatory())
    .argument('<input...>', 'export files or folders: hourly .gz files or their contents, zip archives, a Slack export')
    .requiredOption('-o, --output <file>', 'JSON Lines file to write')
    .option('--group-map <file>', 'source group id to Easemob group id, CSV (two columns) or JSON object; groups without one are left out and listed')
    .option('--user-map <file>', 'source user id to Easemob user id, CSV or JSON; wins over the documented renaming rule')
    .option('--json', 'print the report as JSON instead of the summary')
    .addHelpText(
      'after',
      '\nExamples:\n  $ easemob-import convert --from easemob exports/ -o history.jsonl --group-map groups.csv\n  $ easemob-import convert --from tencent C2C/*.gz Group/*.gz -o history.jsonl --group-map groups.json\n  $ easemob-import convert --from slack slack-export.zip -o history.jsonl --group-map channels.csv',
    )
    .action(async (inputs: string[], opts: { from: SourceName; output: string; groupMap?: string; userMap?: string; json?: boolean }) => {
      const interval = Number(io.env.EASEMOB_IMPORT_PROGRESS_MS);
      done(
        await convertCommand({
          source: opts.from,
          inputs,
          output: opts.output,
          groupMap: opts.groupMap,
          userMap: opts.userMap,
          json: Boolean(opts.json),
          stdout: io.stdout,
          stderr: io.stderr,
          progressIntervalMs: interval > 0 ? interval : 5000,
        }),
      );
    });
}
