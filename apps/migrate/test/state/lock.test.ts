// The state directory lock: atomic, race-free over a stale lock, and not fooled by a reused pid.
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockState, STALE_MS, type Lock } from '../../src/lock.js';
import { spawnCli } from '../support/cli.js';
import { faultServers } from '../support/fault-server.js';
import { makeLines, tempDir, writeLines } from '../support/fixtures.js';
import { checkInvariants, STAMP } from '../support/invariants.js';

const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max: never a live process
const old = (path: string) => utimesSync(path, new Date(Date.now() - 2 * STALE_MS), new Date(Date.now() - 2 * STALE_MS));
const staleLock = (dir: string, n: number, pid = DEAD_PID, ageOut = true) => {
  const path = join(dir, `lock.${n}`);
  writeFileSync(path, JSON.stringify({ run: `old-${n}`, pid, host: hostname(), started: '2020-01-01T00:00:00Z' }));
  if (ageOut) old(path);
};

const server = faultServers();

describe('state directory lock', () => {
  it('two runs racing over a stale lock: exactly one gets it (300 rounds)', async () => {
    // Two identities of live processes on this host, so neither lock looks abandoned to the other.
    const a = { pid: process.pid, host: hostname() };
    const b = { pid: process.ppid, host: hostname() };
    for (let round = 0; round < 300; round++) {
      const dir = tempDir();
      staleLock(dir, round % 3 === 0 ? 1 : 7);
      const results = await Promise.allSettled([lockState(dir, { self: a }), lockState(dir, { self: b })]);
      const won = results.filter((r): r is PromiseFulfilledResult<Lock> => r.status === 'fulfilled');
      expect(won, `round ${round}: ${results.map((r) => r.status === 'rejected' && String(r.reason)).join(' / ')}`).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(lost.reason)).toMatch(/another run \(pid \d+\) is using/);
      await won[0].value.release();
    }
  });

  it('a run restarted with the same pid over its own stale lock proceeds (a container restarted as pid 1)', async () => {
    const dir = tempDir();
    staleLock(dir, 4, process.pid, false); // fresh, names this pid, but no run of this process holds it
    const lock = await lockState(dir);
    expect(readdirSync(dir).filter((n) => n.startsWith('lock'))).toEqual(['lock.5']);
    await lock.release();
  });

  it('a lock whose pid was reused by another live process is free once it stops being touched', async () => {
    const dir = tempDir();
    staleLock(dir, 2, process.ppid, false);
    await expect(lockState(dir)).rejects.toThrow(`another run (pid ${process.ppid}) is using ${dir}`);
    old(join(dir, 'lock.2'));
    const lock = await lockState(dir);
    await lock.release();
  });

  it('two CLI runs started together after a kill -9 never both send', async () => {
    const s = await server({ faults: { latencyMs: [10, 20] } });
    for (let round = 0; round < 4; round++) {
      s.stored.length = 0;
      const dir = tempDir();
      const lines = makeLines(40, 4);
      const file = writeLines(dir, 'in.jsonl', lines);
      const state = join(dir, 'state');
      const args = ['run', file, '--state', state, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--rate', '0', '--json'];
      // what kill -9 leaves: a lock file of a process that is gone
      const { mkdirSync } = await import('node:fs');
      mkdirSync(state, { recursive: true });
      staleLock(state, 3, DEAD_PID, false);
      const [x, y] = await Promise.all([spawnCli(args).result, spawnCli(args).result]);
      expect([x.code, y.code].sort(), `${x.stderr} / ${y.stderr}`).toEqual([0, 2]);
      expect(`${x.stderr}${y.stderr}`).toMatch(/another run \(pid \d+\) is using/);
      checkInvariants(lines, state, s.stored);
      expect(s.stored).toHaveLength(lines.length);
    }
  }, 120_000);
});
