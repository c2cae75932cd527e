// One run per state directory: two writers would interleave journals and send lines twice.
//
// Lock files are numbered generations, `lock.1`, `lock.2`, ...: a run takes the directory by creating the next
// number after the highest one, with an atomic exclusive link of a file already holding its identity, so of two
// runs that race for the same number exactly one gets it. The highest number always stays on disk (a finished run
// marks it released instead of deleting it), so numbers never restart; after creating its file a run checks that
// no higher number exists, and backs off if one does. Nothing is ever deleted that a live run could hold.
//
// Liveness: the holder touches its file every second. A lock is free when it is marked released, when its process
// is gone (same host), when it names this process's pid but not one of its runs (a container restarted as the same
// pid), or when it has not been touched for STALE_MS (any other case, e.g. the pid was reused by another process).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as fs from 'node:fs/promises';
import { UsageError } from './errors.js';
import { stateError } from './state/files.js';

export const HEARTBEAT_MS = 1000;
export const STALE_MS = 30_000;
const NAME = /^lock\.(\d+)$/;

interface Owner {
  run: string;
  pid: number;
  host: string;
  started: string;
  released?: true;
}

/** Who this process is; tests pass another identity to race in one process. */
export interface Self {
  pid: number;
  host: string;
}
const THIS: Self = { pid: process.pid, host: hostname() };
/** Runs this process holds right now. */
const held = new Set<string>();

export interface Lock {
  readonly run: string;
  /** Marks the lock released and stops the heartbeat. */
  release(): Promise<void>;
}

async function generations(dir: string): Promise<number[]> {
  const names = await fs.readdir(dir);
  return names.flatMap((n) => (NAME.test(n) ? [Number(NAME.exec(n)![1])] : [])).sort((a, b) => a - b);
}

async function readOwner(path: string): Promise<{ owner?: Owner; mtimeMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    try {
      return { owner: JSON.parse(text) as Owner, mtimeMs: st.mtimeMs };
    } catch {
      return { mtimeMs: st.mtimeMs }; // not written by this version: judged by age only
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a lock file found on disk still belongs to a live run. */
export function isLive(found: { owner?: Owner; mtimeMs: number }, self: Self = THIS, now = Date.now()): boolean {
  const { owner } = found;
  if (owner?.released) return false;
  if (owner && owner.host === self.host && Number.isInteger(owner.pid)) {
    if (owner.pid === self.pid) return held.has(owner.run);
    if (processGone(owner.pid)) return false;
  }
  return now - found.mtimeMs < STALE_MS;
}

/** Takes the directory's lock, or throws a UsageError naming the run that holds it. */
export async function lockState(dir: string, options: { self?: Self; onLost?: (e: Error) => void } = {}): Promise<Lock> {
  const self = options.self ?? THIS;
  const owner: Owner = { run: randomUUID(), pid: self.pid, host: self.host, started: new Date().toISOString() };
  const draft = join(dir, `lock-draft.${owner.run}`);
  try {
    await fs.writeFile(draft, JSON.stringify(owner), { mode: 0o600 });
    for (let attempt = 0; attempt < 20; attempt++) {
      const gens = await generations(dir);
      const top = gens.at(-1) ?? 0;
      if (top > 0) {
        const found = await readOwner(join(dir, `lock.${top}`));
        if (found && isLive(found, self)) throw busy(dir, found.owner);
      }
      const mine = top + 1;
      const path = join(dir, `lock.${mine}`);
      try {
        await fs.link(draft, path); // atomic: fails if another run created this number first
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      if ((await generations(dir)).some((g) => g > mine)) {
        await fs.rm(path, { force: true }); // a run that looked later got a higher number: it decides
        continue;
      }
      held.add(owner.run);
      for (const g of gens) if (g < mine) await fs.rm(join(dir, `lock.${g}`), { force: true });
      return hold(path, owner, options.onLost);
    }
    throw new UsageError(`cannot lock ${dir}: other runs keep taking it`);
  } catch (e) {
    throw stateError(dir, e, 'lock');
  } finally {
    await fs.rm(draft, { force: true });
  }
}

function busy(dir: string, owner?: Owner): UsageError {
  const who = owner ? `pid ${owner.pid}${owner.host !== THIS.host ? ` on ${owner.host}` : ''}` : 'unknown';
  return new UsageError(`another run (${who}) is using ${dir}; wait for it to finish or stop it first (a lock left by a stopped run is free after ${STALE_MS / 1000} s)`);
}

function hold(path: string, owner: Owner, onLost?: (e: Error) => void): Lock {
  let lost = false;
  const timer = setInterval(() => {
    const now = new Date();
    fs.utimes(path, now, now).catch((e) => {
      if (lost) return;
      lost = true;
      onLost?.(new UsageError(`lost the lock on ${path} (${(e as NodeJS.ErrnoException).code ?? e}); stopping`));
    });
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    run: owner.run,
    async release() {
      clearInterval(timer);
      held.delete(owner.run);
      // Replaced atomically, never deleted: the highest number stays, so numbers never restart. If the disk is
      // full this fails, and the lock is free anyway once this process has exited.
      const tmp = `${path}.tmp`;
      try {
        await fs.writeFile(tmp, JSON.stringify({ ...owner, released: true }), { mode: 0o600 });
        await fs.rename(tmp, path);
      } catch {
        await fs.rm(tmp, { force: true }).catch(() => undefined);
      }
    },
  };
}

/** The pid of a live run holding `dir`, if any (for `status`). */
export async function lockHolder(dir: string): Promise<number | undefined> {
  try {
    const top = (await generations(dir)).at(-1);
    if (top === undefined) return undefined;
    const found = await readOwner(join(dir, `lock.${top}`));
    return found?.owner && isLive(found) && !found.owner.released ? found.owner.pid : undefined;
  } catch {
    return undefined;
  }
}
