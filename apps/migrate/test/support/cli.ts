// Runs the CLI: built (dist/cli.js, as users get it) in a child process, or in-process from the sources.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface Result {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment without the caller's EASEMOB_* variables, so tests see only what they set. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('EASEMOB_')) env[k] = v;
  return { ...env, EASEMOB_IMPORT_PROGRESS_MS: '3600000', ...extra };
}

export function spawnCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): ChildProcess & { result: Promise<Result> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  const result = new Promise<Result>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return Object.assign(child, { result });
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<Result> {
  return spawnCli(args, opts).result;
}

/** The CLI's main() with captured output: fast, and exercises the TypeScript sources directly. */
export async function runMain(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d) => (out += d));
  stderr.setEncoding('utf8').on('data', (d) => (err += d));
  // Progress lines only when a test asks for them (a slow machine must not change what a test sees).
  const env = { EASEMOB_IMPORT_PROGRESS_MS: '3600000', ...opts.env };
  const code = await main({ argv: args, env, stdin: Readable.from([opts.input ?? '']), stdout, stderr });
  return { code, stdout: out, stderr: err };
}
