// One run per state directory: two writers would interleave journals and send lines twice.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';

const LOCK_FILE = 'lock';

/** Takes the directory's lock, or replaces one left by a process that no longer exists (a kill -9). */
export function lockState(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (alive(pid)) throw new UsageError(`another run (pid ${pid}) is using ${dir}; wait for it to finish or stop it first`);
      rmSync(path, { force: true });
    }
  }
  throw new UsageError(`cannot lock ${dir}`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
