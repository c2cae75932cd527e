// A full disk (ENOSPC, a short write, a failed fdatasync) stops the run cleanly with one sentence naming the path,
// and never lets out a request whose send record is not whole and durable. The next run sends each line once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseRecord, type JournalRecord } from '../../src/journal.js';
import { startRun, type RunOptions } from '../../src/runner.js';
import { realFs, type StateFs } from '../../src/state/files.js';
import { runMain } from '../support/cli.js';
import { faultServers, type FaultServer } from '../support/fault-server.js';
import { makeLines, tempDir, writeLines } from '../support/fixtures.js';
import { checkInvariants, STAMP } from '../support/invariants.js';
import { PassThrough } from 'node:stream';

const server = faultServers();

/** Writes normally until `budget` bytes have gone to the journal, then writes what fits (a short write), then ENOSPC. */
function fullDisk(budget: number): StateFs & { writes: number } {
  let left = budget;
  const io = {
    writes: 0,
    writeSync(fd: number, buffer: Buffer, offset: number, length: number) {
      io.writes++;
      if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(length, left);
      left -= n;
      return realFs.writeSync(fd, buffer, offset, n);
    },
    fdatasync: realFs.fdatasync,
  };
  return io;
}

function options(s: FaultServer, file: string, stateDir: string, fs?: StateFs): RunOptions {
  return {
    file, stateDir, fs,
    connection: { baseUrl: s.url, orgName: 'org', appName: 'app', clientId: 'client-id', clientSecret: 'client-secret' },
    rate: { single: 0, group: 0 }, concurrency: 4, onUncertain: 'report', fixTimestamps: false, stampExt: STAMP,
    stderr: new PassThrough(), progressIntervalMs: 3_600_000,
  };
}

const journalOf = (state: string) =>
  readFileSync(join(state, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map(parseRecord).filter((r): r is JournalRecord => r !== undefined);

describe('a full disk', () => {
  for (const budget of [700, 1234, 2049, 3000, 4100]) {
    it(`stops with one sentence naming the journal, never sends an unjournaled line, resumes exactly once (full after ${budget} bytes)`, async () => {
      const s = await server({ faults: { latencyMs: [1, 4] } });
      const lines = makeLines(60, 6);
      const dir = tempDir();
      const file = writeLines(dir, 'in.jsonl', lines);
      const state = join(dir, 'state');
      const io = fullDisk(budget);
      const error = await startRun(options(s, file, state, io)).done.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(`cannot write ${join(state, 'journal.jsonl')}: no space left on the device (ENOSPC); free some space, then run the same command again to continue`);
      // every message that reached the server has a whole send record
      const sent = new Set(journalOf(state).flatMap((r) => (r.op === 'send' ? [r.id] : [])));
      for (const m of s.stored) expect(sent.has(String(m.body.ext?.[STAMP])), `${m.body.ext?.[STAMP]} was journaled`).toBe(true);
      expect(s.stored.length).toBeLessThan(lines.length);

      const again = await runMain(['run', file, '--state', state, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--rate', '0', '--json', '--on-failure', 'continue']);
      expect(again.code, again.stderr).toBeLessThan(2);
      checkInvariants(lines, state, s.stored); // each line stored at most once, each imported once
    });
  }

  it('a failed fdatasync stops the run the same way, before the request leaves', async () => {
    const s = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(10, 2));
    const state = join(dir, 'state');
    const io: StateFs = { writeSync: realFs.writeSync, fdatasync: (_fd, cb) => cb(Object.assign(new Error('EIO'), { code: 'ENOSPC' })) };
    await expect(startRun(options(s, file, state, io)).done).rejects.toThrow(`cannot write ${join(state, 'journal.jsonl')}: no space left on the device (ENOSPC)`);
    expect(s.stored).toHaveLength(0);
  });
});
