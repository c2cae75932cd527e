// A state directory belongs to one input and one app. Its journal records a fingerprint of the input (size and
// SHA-256, so a different or rewritten file is told apart from the same file, and a file that only grew at the end
// is still the same) and the target (base URL, org, app; never a secret). A run on a mismatch stops with exit 2.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Connection } from '../api.js';
import { UsageError } from '../errors.js';
import type { Binding } from '../journal.js';
import { writeFileAtomic } from './files.js';

export type Fingerprint = NonNullable<Binding['fingerprint']>;

/** A small copy of the last binding, so the CLI can reuse the saved target without replaying the journal. */
export const BINDING_FILE = 'binding.json';

/**
 * The default state directory of an input: its name plus a short hash of its full path, so two files with the same
 * name (2023/history.jsonl and 2024/history.jsonl) never share one.
 */
export function defaultStateDir(root: string, file: string): string {
  if (file === '-') return join(root, 'stdin');
  let full = resolve(file);
  try {
    full = realpathSync(file);
  } catch {
    // not there (yet): the resolved path still tells inputs apart
  }
  return join(root, `${basename(file)}-${createHash('sha256').update(full).digest('hex').slice(0, 8)}`);
}

/**
 * Hashes the input in one pass: the whole file, and its first `prefixSize` bytes (what an earlier run saw), so a
 * file that only grew can be recognised.
 */
export async function fingerprint(file: string, prefixSize?: number): Promise<{ now: Fingerprint; prefix?: string }> {
  const whole = createHash('sha256');
  let prefix: string | undefined = prefixSize === 0 ? createHash('sha256').digest('hex') : undefined;
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    if (prefixSize !== undefined && prefix === undefined && size + chunk.length >= prefixSize) {
      whole.update(chunk.subarray(0, prefixSize - size));
      prefix = whole.copy().digest('hex');
      whole.update(chunk.subarray(prefixSize - size));
    } else whole.update(chunk);
    size += chunk.length;
  }
  return { now: { size, sha256: whole.digest('hex') }, ...(prefix !== undefined && { prefix }) };
}

/** The target as recorded: no credentials, no query, no trailing slash. */
export function targetOf(c: Pick<Connection, 'baseUrl' | 'orgName' | 'appName'>): Binding['target'] {
  let base = c.baseUrl;
  try {
    const u = new URL(c.baseUrl);
    base = `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    // kept as given; the configuration check has refused anything unusable
  }
  return { base_url: base, org: c.orgName, app: c.appName };
}

const describeInput = (b: Binding) => `${b.input}${b.fingerprint ? ` (${b.fingerprint.size} bytes)` : ''}`;
const describeTarget = (t: Binding['target']) => `${t.base_url} ${t.org}#${t.app}`;

/**
 * Checks this run against the directory's binding and returns the binding to record. Without `input` (a retry from
 * a corrected file) the saved input stays bound; with `checkInput` false (a retry of the input fixed in place) the
 * input is bound anew.
 */
export async function bind(dir: string, saved: Binding | undefined, input: { file: string; name: string } | undefined, target: Binding['target'], checkInput = true): Promise<Binding> {
  const savedPrint = checkInput ? saved?.fingerprint : undefined;
  let current: Binding = { input: input?.name ?? saved?.input ?? '', ...((input && input.file !== '-') || saved?.path ? { path: input && input.file !== '-' ? resolve(input.file) : saved!.path } : {}), target };
  if (input && input.file !== '-') {
    const { now, prefix } = await fingerprint(input.file, savedPrint?.size);
    current = { ...current, fingerprint: now };
    if (savedPrint && (now.size < savedPrint.size || prefix !== savedPrint.sha256)) {
      const how = now.size < savedPrint.size ? 'it is shorter than' : 'its content differs from';
      throw mismatch(dir, saved!, current, `the input ${describeInput(current)} is not the file this directory was started with, ${describeInput(saved!)}: ${how} what earlier runs read`);
    }
  }
  if (checkInput && input && saved && (input.file === '-') !== !saved.fingerprint && saved.input) {
    throw mismatch(dir, saved, current, `the input ${input.name} is not the one this directory was started with, ${saved.input}`);
  }
  const t = saved?.target;
  if (t && (t.base_url !== target.base_url || t.org !== target.org || t.app !== target.app)) {
    throw mismatch(dir, saved!, current, `this run imports into ${describeTarget(target)}, but this directory imported into ${describeTarget(t)}`);
  }
  return input ? current : { ...current, ...(saved?.fingerprint && { fingerprint: saved.fingerprint }) };
}

function mismatch(dir: string, saved: Binding, current: Binding, what: string): UsageError {
  return new UsageError(
    `${dir} belongs to another import: ${what}. Nothing was sent. Run with the same input and target to continue that import, or pass another --state for a new one (saved: ${describeInput(saved)} into ${describeTarget(saved.target)}; this run: ${describeInput(current)} into ${describeTarget(current.target)})`,
  );
}

/** The options `retry` reuses unless told otherwise. */
export interface SavedOptions {
  fix_timestamps: boolean;
  stamp_ext: string | null;
  on_uncertain: 'report' | 'retry';
}

export function saveBinding(dir: string, b: Binding, options: SavedOptions) {
  writeFileAtomic(join(dir, BINDING_FILE), `${JSON.stringify({ ...b, options })}\n`);
}

/** What the last run saved in `dir`, if any. */
export function savedBinding(dir: string): (Binding & { options?: SavedOptions }) | undefined {
  try {
    const b = JSON.parse(readFileSync(join(dir, BINDING_FILE), 'utf8')) as Binding & { options?: SavedOptions };
    return typeof b?.target?.base_url === 'string' ? b : undefined;
  } catch {
    return undefined;
  }
}

/** The target an earlier run saved in `dir`, if any: a bare `run FILE` may reuse it. */
export function savedTarget(dir: string): Binding['target'] | undefined {
  return savedBinding(dir)?.target;
}

/** Environment defaults from a saved target: flags and real environment variables still win. */
export function withSavedTarget(env: Record<string, string | undefined>, dir: string): Record<string, string | undefined> {
  const t = savedTarget(dir);
  if (!t) return env;
  return { EASEMOB_BASE_URL: t.base_url, EASEMOB_ORG: t.org, EASEMOB_APP: t.app, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
}
