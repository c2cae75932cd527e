// The state directory on disk: created private (0700, files 0600, since it holds people's messages), written
// whole or not at all, and every failure to write it is one sentence naming the path (exit 2), never a stack.
import * as fs from 'node:fs';
import { UsageError } from '../errors.js';

/** The fs calls the state files use; tests swap them to simulate a full disk or a short write. */
export interface StateFs {
  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number;
  fdatasync(fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void;
}
export const realFs: StateFs = {
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fdatasync: (fd, callback) => fs.fdatasync(fd, callback),
};

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it exists and is not a directory',
  EISDIR: 'it is a directory',
  EIO: 'an input/output error',
};

/** A state directory problem, as the one sentence the CLI prints. */
export class StateError extends UsageError {
  override name = 'StateError';
  constructor(
    readonly path: string,
    readonly code: string,
    action = 'write',
  ) {
    const why = REASONS[code] ?? code;
    const hint = code === 'ENOSPC' || code === 'EDQUOT' ? '; free some space, then run the same command again to continue' : '; pass another --state or fix the permissions';
    super(`cannot ${action} ${path}: ${why} (${code})${hint}`);
  }
}

export function stateError(path: string, e: unknown, action = 'write'): unknown {
  if (e instanceof UsageError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? new StateError(path, code, action) : e;
}

/** Creates the directory (and its parents) readable by its owner only. */
export function makeStateDir(dir: string) {
  try {
    const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'EEXIST' });
    if (created) fs.chmodSync(dir, 0o700);
  } catch (e) {
    throw stateError(dir, e, 'create');
  }
}

/** Opens a state file, private to its owner whatever it was before. */
export function openStateFile(path: string, flags: string): number {
  try {
    const fd = fs.openSync(path, flags, 0o600);
    fs.fchmodSync(fd, 0o600);
    return fd;
  } catch (e) {
    throw stateError(path, e, flags === 'r' ? 'read' : 'write');
  }
}

/** Writes all of `text` (a short write is continued, not ignored) or throws a StateError. */
export function writeAll(io: StateFs, fd: number, path: string, text: string) {
  const buffer = Buffer.from(text);
  let done = 0;
  try {
    while (done < buffer.length) {
      const n = io.writeSync(fd, buffer, done, buffer.length - done);
      if (n <= 0) throw Object.assign(new Error('nothing written'), { code: 'ENOSPC' });
      done += n;
    }
  } catch (e) {
    throw stateError(path, e);
  }
}

/** Replaces a file atomically (a reader never sees half of it), private to its owner. */
export function writeFileAtomic(path: string, text: string) {
  try {
    fs.writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
    fs.renameSync(`${path}.tmp`, path);
  } catch (e) {
    throw stateError(path, e);
  }
}
