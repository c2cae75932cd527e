// Stopping and redirects at the edges: a slow pacer does not hold the process after the summary; nothing leaves
// once calls are abandoned; a line waiting for a token is not sent, so it never comes back uncertain; a redirect
// ends the run (exit 2) and is never followed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineState, loadJournal } from '../../src/journal.js';
import { runMain, spawnCli } from '../support/cli.js';
import { faultServers, type FaultServer } from '../support/fault-server.js';
import { makeLines, tempDir, writeLines } from '../support/fixtures.js';
import { checkInvariants, STAMP, stateFiles } from '../support/invariants.js';

const server = faultServers();
const args = (s: FaultServer, file: string, state: string, extra: string[] = []) => ['run', file, '--state', state, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--json', ...extra];
const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

describe('stopping', () => {
  it('SIGTERM with a slow pacer: the process exits right after the summary', async () => {
    const s = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(6, 6));
    const child = spawnCli(args(s, file, join(dir, 'state'), ['--rate', '0.05'])); // one call per 20 s
    await until(() => s.stored.length >= 2); // the first call of each endpoint goes at once
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    child.kill('SIGTERM');
    const r = await child.result;
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 2, pending: 4, interrupted: true });
    expect(seconds, 'the next grant was 20 s away').toBeLessThan(10);
  }, 60_000);

  it('lines waiting for a token when calls are abandoned: nothing leaves, nothing is uncertain', async () => {
    const s = await server({ faults: { tokenLatencyMs: 1500 } });
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(8, 8));
    const state = join(dir, 'state');
    const child = spawnCli(args(s, file, state, ['--rate', '0', '--concurrency', '4']));
    await until(() => s.counts.tokenRequests >= 1);
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const r = await child.result;
    await new Promise((r) => setTimeout(r, 2000)); // past the token reply
    expect(s.counts.requests).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 0, uncertain: 0, pending: 8 });
    const { states } = await loadJournal(state);
    expect([...states.entries()]).toEqual([]); // no send record: nothing was about to leave
  }, 60_000);

  it('kill -9 while lines wait for a token: the next run sends them, none is uncertain', async () => {
    const s = await server({ faults: { tokenLatencyMs: 1000 } });
    const dir = tempDir();
    const lines = makeLines(8, 8);
    const file = writeLines(dir, 'in.jsonl', lines);
    const state = join(dir, 'state');
    const child = spawnCli(args(s, file, state, ['--rate', '0', '--concurrency', '4']));
    await until(() => s.counts.tokenRequests >= 1);
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    await child.result;
    const { states } = await loadJournal(state);
    expect([...states.entries()].filter(([, st]) => st === LineState.InFlight)).toEqual([]);
    s.setFaults({});
    const again = await runMain(args(s, file, state, ['--rate', '0']));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 8, uncertain: 0 });
    checkInvariants(lines, state, s.stored);
  }, 60_000);
});

describe('redirects', () => {
  for (const [status, token] of [[307, false], [308, false], [302, false], [307, true]] as const) {
    it(`a ${status} to ${token ? 'the token request' : 'an import call'} is not followed: exit 2, nothing imported`, async () => {
      const elsewhere = await server();
      const s = await server({ faults: { redirect: { status, location: `${elsewhere.url}/org/app/messages/users/import?token=x`, token } } });
      const dir = tempDir();
      const file = writeLines(dir, 'in.jsonl', makeLines(5, 5));
      const state = join(dir, 'state');
      const r = await runMain(args(s, file, state, ['--rate', '0']));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^easemob-import: stopped: .* answered (an import call|the token request) with a redirect .*redirects are never followed/m);
      expect(r.stderr).not.toContain('token=x');
      expect(elsewhere.stored).toHaveLength(0);
      expect(elsewhere.counts.requests + elsewhere.counts.tokenRequests).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ imported: 0, failed: 0, uncertain: 0, pending: 5 });
      expect(stateFiles(state).imported).toHaveLength(0);
      expect(readFileSync(join(state, 'journal.jsonl'), 'utf8')).not.toContain('"op":"imported"');
    });
  }
});

describe('token replies', () => {
  it('a token reply without access_token stops the run (exit 2) with a clear sentence; nothing is sent', async () => {
    const { createServer } = await import('node:http');
    let imports = 0;
    const bad = createServer((req, res) => {
      if (req.url?.endsWith('/token')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"expires_in":7200}');
      imports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"msg_id":"1"}}');
    });
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(bad.address() as { port: number }).port}`;
    try {
      const dir = tempDir();
      const file = writeLines(dir, 'in.jsonl', makeLines(4, 2));
      const r = await runMain(['run', file, '--state', join(dir, 'state'), '--base-url', url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--rate', '0', '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/stopped: the token endpoint answered 200 without a usable token/);
      expect(JSON.parse(r.stdout)).toMatchObject({ imported: 0, uncertain: 0, pending: 4 });
      expect(imports).toBe(0);
    } finally {
      bad.close();
    }
  });
});

describe('a stop after an uncertain attempt', () => {
  it('leaves the line uncertain (it may be stored) and still stops the run', async () => {
    const { createServer } = await import('node:http');
    let imports = 0;
    const flaky = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        imports++;
        // first attempt: stored, then a 500; the retry: 403 (the app was disabled meanwhile)
        res.writeHead(imports === 1 ? 500 : 403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: imports === 1 ? 'internal_error' : 'forbidden_op', error_description: 'x' }));
      });
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(flaky.address() as { port: number }).port}`;
    try {
      const dir = tempDir();
      const file = writeLines(dir, 'in.jsonl', makeLines(3, 1));
      const state = join(dir, 'state');
      const r = await runMain(['run', file, '--state', state, '--base-url', url, '--org', 'org', '--app', 'app', '--token', 'a-token', '--rate', '0', '--on-uncertain', 'retry', '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/stopped: Easemob refused the import \(403 forbidden_op\)/);
      expect(JSON.parse(r.stdout)).toMatchObject({ imported: 0, uncertain: 1, pending: 2 });
      expect(stateFiles(state).uncertain.map((u) => u.source_id)).toEqual(['m1']);
    } finally {
      flaky.close();
    }
  });
});
