// The command line as users meet it: dist/cli.js in a child process (exit codes, signals, output).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, spawnCli } from './support/cli.js';
import { faultServers } from './support/fault-server.js';
import { makeLines, tempDir, writeLines } from './support/fixtures.js';
import { checkInvariants, STAMP, stateFiles } from './support/invariants.js';
import { defaultStateDir } from '../src/state/binding.js';

const server = faultServers();

describe('easemob-import (built CLI)', () => {
  it('is an executable ESM file with a shebang', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--help lists the commands; each command has help with an example', async () => {
    const root = await runCli(['--help']);
    expect(root.code).toBe(0);
    for (const c of ['validate', 'run', 'status', 'retry']) expect(root.stdout).toContain(c);
    for (const c of ['validate', 'run', 'status', 'retry']) {
      const r = await runCli([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`$ easemob-import ${c}`);
    }
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('usage errors exit 2 with one clear sentence and no stack trace', async () => {
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(1, 1));
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['run'], /missing required argument 'file'/],
      [['run', file], /no Easemob REST host: pass --base-url/],
      [['run', file, '--base-url', 'http://127.0.0.1:9', '--org', 'o', '--app', 'a', '--token', 't', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 1000/],
      [['run', file, '--base-url', 'http://127.0.0.1:9', '--org', 'o', '--app', 'a', '--token', 't', '--concurrency', '1e6'], /--concurrency must be a whole number from 1 to 1000, not "1e6"/],
      [['run', file, '--base-url', 'http://127.0.0.1:9', '--org', 'o', '--app', 'a', '--token', 't', '--rate', '1e9'], /--rate must be a number of calls per second from 0 \(no limit\) to 10000, not "1e9"/],
      [['validate', file, '--latency', '0'], /--latency must be the time of one call/],
      [['validate', file, '--deadline', 'soon'], /--deadline must be a duration such as 24h/],
      [['validate', dir], /cannot read .*: it is a directory; pass a JSON Lines file \(EISDIR\)/],
      [['run', join(file, 'x.jsonl'), '--base-url', 'http://127.0.0.1:9', '--org', 'o', '--app', 'a', '--token', 't'], /cannot read .*in.jsonl\/x.jsonl: a part of the path is not a directory \(ENOTDIR\)/],
      [['run', file, '--base-url', 'http://127.0.0.1:9', '--org', 'o', '--app', 'a', '--token', 't', '--on-uncertain', 'maybe'], /--on-uncertain.*maybe.*is invalid/],
      [['validate', join(dir, 'missing.jsonl')], /cannot read .*missing.jsonl: no such file/],
      [['status', '--state', join(dir, 'nothing')], /has no journal/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    }
  });

  it('validate: every problem with file:line and field, a summary, exit 1; a clean file exits 0', async () => {
    const dir = tempDir();
    const good = makeLines(16, 4);
    const bad = writeLines(dir, 'bad.jsonl', [
      good[0],
      { ...good[1], type: 'txt', body: { msg: 'x', filname: 'a' } },
      { ...good[2], chat_type: undefined },
      '{oops',
      { ...good[3], msg_timestamp: 4_000_000_000_000 },
      { ...good[4], source_id: 'm1' },
    ]);
    const r = await runCli(['validate', bad], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${bad}:2: /body/filname is not a known field`);
    expect(r.stdout).toContain(`${bad}:3: /chat_type is required`);
    expect(r.stdout).toContain(`${bad}:4: line is not valid JSON`);
    expect(r.stdout).toContain(`${bad}:5: /msg_timestamp is in the future`);
    expect(r.stdout).toContain(`${bad}:6: /source_id "m1" is already used by line 1`);
    expect(r.stdout).toContain('6 lines, 1 valid, 5 invalid');

    const clean = writeLines(dir, 'good.jsonl', good);
    const ok = await runCli(['validate', clean]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('16 lines, 16 valid, 0 invalid');
    expect(ok.stdout).toMatch(/importing takes under a second, set by .* \(50 ms a call, assumed/);

    const json = await runCli(['validate', '--json', bad]);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ lines: 6, valid: 1, invalid: 5 });
    expect(report.problems[0]).toEqual({ line: 2, field: '/body/filname', message: 'is not a known field' });
  });

  it('validate reads stdin and estimates the duration at a given rate', async () => {
    const lines = makeLines(3000, 300);
    const r = await runCli(['validate', '-', '--rate', '10', '--json'], { input: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.file).toBe('stdin');
    // 2000 single-chat lines at 10/s, the group endpoint in parallel with 1000
    expect(report.by_chat_type).toEqual({ single: 2000, group: 1000 });
    expect(report.estimate.seconds).toBe(200);
  });

  it('Ctrl-C stops taking lines, lets calls in flight finish, saves state; run again finishes', async () => {
    const s = await server({ faults: { latencyMs: [20, 40] } });
    const lines = makeLines(200, 10);
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', lines);
    const args = ['run', file, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--rate', '0', '--json'];
    const child = spawnCli(args, { cwd: dir });
    while (s.stored.length < 30) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const first = await child.result;
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/stopping: waiting for \d+ calls in flight to finish/);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ interrupted: true, uncertain: 0, failed: 0 });
    expect(summary.pending).toBeGreaterThan(0);
    expect(summary.imported).toBe(s.stored.length); // every call in flight finished and was recorded
    const state = defaultStateDir(join(dir, '.easemob-import'), file);
    expect(existsSync(join(state, 'lock'))).toBe(false);

    const status = await runCli(['status', '--json'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ input: file, total: 200, runs: 1, imported: summary.imported, in_flight: 0, not_sent: 200 - summary.imported, last_run: { phase: 'stopped early' } });

    const second = await runCli(args, { cwd: dir });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ imported: 200 - summary.imported, skipped: summary.imported, pending: 0 });
    checkInvariants(lines, state, s.stored);
    const human = await runCli(['status', 'in.jsonl'], { cwd: dir });
    expect(human.stdout).toMatch(/2 runs, the last started .* and finished\n {2}imported 200, failed 0, uncertain 0, held 0, in flight 0, not sent yet 0/);
  }, 60_000);

  it('a second Ctrl-C abandons calls in flight: they are recorded as uncertain, never lost', async () => {
    const s = await server({ faults: { latencyMs: [3000, 3000] } });
    const lines = makeLines(20, 20);
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', lines);
    const child = spawnCli(['run', file, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--stamp-ext', STAMP, '--rate', '0', '--concurrency', '4', '--json'], { cwd: dir });
    while (s.counts.requests < 4) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const r = await child.result;
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ uncertain: 4, imported: 0, pending: 16 });
    const { uncertain } = stateFiles(defaultStateDir(join(dir, '.easemob-import'), file));
    expect(uncertain.map((u) => u._error.error)).toEqual(['ABORTED', 'ABORTED', 'ABORTED', 'ABORTED']);
  }, 30_000);

  it('prints plain progress lines when stderr is not a terminal', async () => {
    const s = await server({ faults: { latencyMs: [10, 10] } });
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(60, 2));
    const r = await runCli(['run', file, '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret', '--rate', '0'], { cwd: dir, env: { EASEMOB_IMPORT_PROGRESS_MS: '100' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^easemob-import: \d+\/60 lines \(\d+%\), [\d.]+\/s, ETA \S+, failed 0, uncertain 0$/m);
    expect(r.stdout).toMatch(/^done: 60 imported, 0 skipped \(imported earlier\), 0 failed, 0 uncertain, 0 held, 0 pending, of 60 lines/);
  });
});
