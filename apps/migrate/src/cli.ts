// easemob-import: the command line. Parses flags (then environment variables), runs a command, and maps the
// result to an exit code: 0 all imported (or a clean file), 1 some lines failed, are uncertain or pending,
// 2 usage or configuration error.
import { closeSync, fstatSync, openSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { dryRunCommand, runCommand } from './commands/run.js';
import { retrySettings } from './commands/retry.js';
import { onlyStateDir, statusCommand } from './commands/status.js';
import { registerConvert } from './commands/convert.js';
import { validateCommand } from './commands/validate.js';
import { MAX_CONCURRENCY, MAX_RATE, parseCount, parseLatency, parseRate, redactor, resolveConnection, type ConnectionFlags } from './config.js';
import { UsageError } from './errors.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LATENCY_MS, parseDuration } from './plan/estimate.js';
import { describeFsError } from './reader.js';
import { specRate, type ChatType } from './spec.js';
import { defaultStateDir, withSavedTarget } from './state/binding.js';

export const STATE_ROOT = '.easemob-import';
const MAX_RATE_TEXT = MAX_RATE.toLocaleString('en');

export interface Io {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

function rates(flag: string | undefined): Record<ChatType, number> {
  if (flag !== undefined) {
    const n = parseRate(flag);
    return { single: n, group: n };
  }
  return { single: specRate('single'), group: specRate('group') };
}

/** The input can be opened and is not a directory: else one sentence naming it (exit 2). */
function checkInput(file: string) {
  if (file === '-') return;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (e) {
    throw new UsageError(describeFsError(file, e) ?? `cannot read ${file}: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The options that say where Easemob is and how to authenticate (run, and validate --probe). */
function connectionOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'REST host of the app, e.g. https://a1.easemob.com (env EASEMOB_BASE_URL)')
    .option('--org <name>', 'org name, the part of the App Key before # (env EASEMOB_ORG)')
    .option('--app <name>', 'app name, the part of the App Key after # (env EASEMOB_APP)')
    .option('--token <token>', 'app token (env EASEMOB_TOKEN)')
    .option('--token-file <path>', 'read the app token from a file')
    .option('--client-id <id>', 'client ID, exchanged with the secret for tokens as needed (env EASEMOB_CLIENT_ID)')
    .option('--client-secret <secret>', 'client secret (env EASEMOB_CLIENT_SECRET)')
    .option('--client-secret-file <path>', 'read the client secret from a file');
}

const ENVIRONMENT_HELP = `
Environment:
  EASEMOB_BASE_URL, EASEMOB_ORG, EASEMOB_APP, EASEMOB_TOKEN, EASEMOB_CLIENT_ID, EASEMOB_CLIENT_SECRET
                               connection settings, used when the matching flag is not given
  EASEMOB_IMPORT_PROGRESS_MS   how often run prints a progress line when stderr is not a terminal (default 5000)
  EASEMOB_IMPORT_DEBUG         set to 1 to print the stack trace of an unexpected error`;

export async function main(io: Io): Promise<number> {
  let exitCode = 0;
  let redact = redactor();
  const program = new Command('easemob-import')
    .description('Move chat history into Easemob IM from JSON Lines files: check a file, import it resumably, see how far an import got.')
    .version(pkg.version, '-v, --version')
    .addHelpText('after', ENVIRONMENT_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(redact(s)) })
    .showHelpAfterError('(add --help for usage)');

  connectionOptions(
    program
      .command('validate')
      .description('Check a file without sending anything: the spec schema, order within each conversation, unique source ids, sizes and URLs; estimate how long the import takes.')
      .argument('<file>', 'JSON Lines input (or gzip of it), one message per line; - reads stdin')
      .option('--fix-timestamps', 'check as `run --fix-timestamps` would: equal or earlier timestamps in a conversation are raised, not errors')
      .option('--stamp-ext <key>', 'check as `run --stamp-ext` would (the stamped ext counts toward the 5 KB limit)')
      .option('--rate <n>', `calls per second per endpoint for the estimate, up to ${MAX_RATE_TEXT} (default: the spec's limit)`)
      .addOption(new Option('--latency <ms>', 'time of one import call for the estimate, e.g. 50ms').default(DEFAULT_LATENCY_MS).argParser(parseLatency))
      .option('--probe', 'measure the latency with a few token requests to the target (imports nothing; needs --base-url, --org, --app and a client ID and secret)')
      .option('--deadline <duration>', 'say whether the import fits in this time (e.g. 24h, 90m, 1d12h), and if not what would')
      .option('--json', 'print one JSON document'),
  )
    .addHelpText('after', '\nExamples:\n  $ easemob-import validate history.jsonl\n  $ easemob-import validate history.jsonl --deadline 24h --latency 80ms\n  $ easemob-import validate --json history.jsonl > report.json')
    .action(async (file: string, opts: ConnectionFlags & { fixTimestamps?: boolean; stampExt?: string; rate?: string; latency: number; probe?: boolean; deadline?: string; json?: boolean }) => {
      checkInput(file);
      const deadlineS = opts.deadline === undefined ? undefined : parseDuration(opts.deadline);
      if (deadlineS === undefined && opts.deadline !== undefined) throw new UsageError(`--deadline must be a duration such as 24h, 90m or 1d12h, not ${JSON.stringify(opts.deadline)}`);
      const probe = opts.probe ? resolveConnection(opts, io.env) : undefined;
      if (probe) redact = redactor(probe);
      exitCode = await validateCommand({ file, fixTimestamps: Boolean(opts.fixTimestamps), stampExt: opts.stampExt, json: Boolean(opts.json), rate: rates(opts.rate), latencyMs: opts.latency, probe, deadlineS, stdin: io.stdin, stdout: io.stdout });
    });

  connectionOptions(
    program
      .command('run')
      .description('Import a file. Resumable: run the same command again after a crash, Ctrl-C or kill to continue where it stopped.')
      .argument('<file>', 'JSON Lines input (or gzip of it), one message per line; - reads stdin'),
  )
    .option('--rate <n>', `calls per second per endpoint, 0 for no limit, at most ${MAX_RATE_TEXT} (default: the spec's x-rate-limit, 100)`)
    .addOption(new Option('--concurrency <n>', `calls in flight at most, up to ${MAX_CONCURRENCY}; needs about rate x latency to reach the rate`).default(DEFAULT_CONCURRENCY))
    .option('--state <dir>', `state directory (default: ${STATE_ROOT}/<input file name>-<hash of its path>)`)
    .addOption(new Option('--on-uncertain <what>', 'a call that may or may not have been stored: report it, or retry it (may duplicate)').choices(['report', 'retry']).default('report'))
    .addOption(new Option('--on-failure <what>', 'after a line of a conversation fails or is uncertain: hold the rest of that conversation, or continue with it').choices(['hold', 'continue']).default('hold'))
    .option('--limit <n>', 'send at most n lines, then stop (a canary run); run again to continue')
    .option('--dry-run', 'read, check, schedule and estimate without calling Easemob or writing a state directory')
    .option('--fix-timestamps', 'raise an equal or earlier timestamp in a conversation just enough to keep strict order (listed in timestamps.jsonl)')
    .option('--stamp-ext <key>', 'write each line\'s source_id into ext[key], so duplicates can be found later')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ export EASEMOB_CLIENT_SECRET=...\n  $ easemob-import run history.jsonl --dry-run\n  $ easemob-import run history.jsonl --base-url https://a1.easemob.com --org my-org --app my-app --client-id YXA6... --limit 20\n  $ easemob-import run history.jsonl   # again, to continue after a stop or a --limit',
    )
    .action(async (file: string, opts: ConnectionFlags & { rate?: string; concurrency: string | number; state?: string; onUncertain: 'report' | 'retry'; onFailure: 'hold' | 'continue'; limit?: string; dryRun?: boolean; fixTimestamps?: boolean; stampExt?: string; json?: boolean }) => {
      checkInput(file);
      const stateDir = opts.state ?? defaultStateDir(STATE_ROOT, file);
      const limit = opts.limit === undefined ? undefined : parseCount(opts.limit, '--limit', 1);
      const common = { file, stateDir, rate: rates(opts.rate), concurrency: parseCount(String(opts.concurrency), '--concurrency', 1, MAX_CONCURRENCY), onUncertain: opts.onUncertain, onFailure: opts.onFailure, limit, fixTimestamps: Boolean(opts.fixTimestamps), stampExt: opts.stampExt, json: Boolean(opts.json), stdin: io.stdin, stdout: io.stdout };
      if (opts.dryRun) return void (exitCode = await dryRunCommand(common));
      const connection = resolveConnection(opts, withSavedTarget(io.env, stateDir));
      redact = redactor(connection);
      const interval = Number(io.env.EASEMOB_IMPORT_PROGRESS_MS);
      exitCode = await runCommand({
        ...common,
        connection,
        fixTimestamps: Boolean(opts.fixTimestamps),
        stampExt: opts.stampExt,
        json: Boolean(opts.json),
        stdin: io.stdin,
        stdout: io.stdout,
        stderr: io.stderr,
        progressIntervalMs: interval > 0 ? interval : 5000,
      });
    });

  program
    .command('status')
    .description('Show what the runs on a state directory have done so far, from its journal.')
    .argument('[file]', 'the input file, to find its default state directory')
    .option('--state <dir>', `state directory (default: the input's, or the only one under ${STATE_ROOT}/)`)
    .option('--json', 'print one JSON document')
    .option('--repair', 'set damaged journal lines aside (the lines they name become uncertain; nothing imported is forgotten)')
    .addHelpText('after', '\nExamples:\n  $ easemob-import status history.jsonl\n  $ easemob-import status --state .easemob-import/history.jsonl-1a2b3c4d --json')
    .action(async (file: string | undefined, opts: { state?: string; json?: boolean; repair?: boolean }) => {
      const stateDir = opts.state ?? (file ? defaultStateDir(STATE_ROOT, file) : onlyStateDir(STATE_ROOT));
      exitCode = await statusCommand({ stateDir, json: Boolean(opts.json), repair: Boolean(opts.repair), stdout: io.stdout });
    });

  connectionOptions(
    program
      .command('retry')
      .description('Send the failed and held lines of an import again (after fixing them), and settle its uncertain lines.')
      .argument('<state-dir>', 'the state directory of the import'),
  )
    .option('--input <file>', 'a corrected file to take the lines from (default: the input the import was started with, fixed in place)')
    .addOption(new Option('--uncertain <what>', 'uncertain lines: resend them (may duplicate), or mark them imported (you checked they arrived)').choices(['resend', 'imported']))
    .option('--rate <n>', `calls per second per endpoint, 0 for no limit, at most ${MAX_RATE_TEXT}`)
    .addOption(new Option('--concurrency <n>', `calls in flight at most, up to ${MAX_CONCURRENCY}`).default(DEFAULT_CONCURRENCY))
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExamples:\n  $ easemob-import retry .easemob-import/history.jsonl-1a2b3c4d\n  $ easemob-import retry .easemob-import/history.jsonl-1a2b3c4d --input fixed.jsonl --uncertain imported')
    .action(async (stateDir: string, opts: ConnectionFlags & { input?: string; uncertain?: 'resend' | 'imported'; rate?: string; concurrency: string | number; json?: boolean }) => {
      const settings = retrySettings(stateDir, opts);
      checkInput(settings.file);
      const connection = resolveConnection(opts, withSavedTarget(io.env, stateDir));
      redact = redactor(connection);
      const interval = Number(io.env.EASEMOB_IMPORT_PROGRESS_MS);
      exitCode = await runCommand({ ...settings, stateDir, connection, rate: rates(opts.rate), concurrency: parseCount(String(opts.concurrency), '--concurrency', 1, MAX_CONCURRENCY), json: Boolean(opts.json), stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, progressIntervalMs: interval > 0 ? interval : 5000 });
    });

  registerConvert(program, io, (code) => (exitCode = code));

  try {
    await program.parseAsync(io.argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; anything else commander rejects is a usage error (already printed).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`easemob-import: ${redact(e.message)}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`easemob-import: unexpected error: ${redact(message)}\n`);
    if (io.env.EASEMOB_IMPORT_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${redact(e.stack)}\n`);
    return 1;
  }
}

// Run when executed as the bin (also through a symlink such as node_modules/.bin), not when imported by tests.
const entry = process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href;
if (entry === import.meta.url) {
  const io = {
    argv: process.argv.slice(2),
    env: process.env,
    // Lazily: touching process.stdin sets it up, which only `-` needs.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  };
  main(io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`easemob-import: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
