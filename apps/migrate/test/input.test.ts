// Input safety and first-use behaviour, in-process: validate and run agree on every line, nothing is sent that
// validate would reject, and file-wide mistakes are named once.
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { CLI, runMain } from './support/cli.js';
import { faultServers, type FaultServer } from './support/fault-server.js';
import { makeLines, tempDir, writeLines } from './support/fixtures.js';

const server = faultServers();
const conn = (s: FaultServer) => ['--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'client-secret'];

/** validate, then run, on the same file: the two verdicts, and what the server stored. */
async function both(file: string) {
  const s = await server();
  const validate = await runMain(['validate', file, '--json']);
  const run = await runMain(['run', file, '--state', join(file, '..', 'state'), ...conn(s), '--rate', '0', '--json']);
  return { validate, report: JSON.parse(validate.stdout), run, summary: JSON.parse(run.stdout), stored: s.stored };
}

describe('lines JSON.parse would read wrongly or crash on', () => {
  it('a 6,000-deep ext, a key twice, __proto__ and invalid UTF-8: file:line errors in validate and run, later lines still imported', async () => {
    const dir = tempDir();
    const [a, b, c, d, e, f] = makeLines(6, 1).map((l) => JSON.stringify(l));
    const deep = b.replace('"body"', `"ext":${'{"a":'.repeat(6000)}1${'}'.repeat(6000)},"body"`);
    const twice = c.replace('"from":', '"from":"mallory","from":');
    const proto = d.replace('{', '{"__proto__":{"x":1},');
    const latin1 = Buffer.from(e.replace('"from":"', '"from":"caf\u00e9'), 'latin1');
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from([a, deep, twice, proto].join('\n') + '\n'), latin1, Buffer.from(`\n${f}\n`)]));

    const { validate, report, run, summary, stored } = await both(file);
    expect(validate.code).toBe(1);
    expect(report.problems.map((p: { line: number; field: string; message: string }) => `${p.line}: ${p.field} ${p.message}`)).toEqual([
      '2: /ext is nested more than 64 levels deep',
      '3: /from is given twice in the same object (keep one)',
      '4: /__proto__ is not accepted as a key (it would change the object instead of adding a field)',
      '5:  line is not valid UTF-8 (save the file as UTF-8)',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/Maximum call stack|unexpected error/);
    expect(run.stderr).toContain(`${file}:2: /ext is nested more than 64 levels deep`);
    expect(summary).toMatchObject({ total: 6, imported: 2, failed: 4, invalid: 4, pending: 0 });
    expect(stored.map((m) => m.body.from)).toEqual([JSON.parse(a).from, JSON.parse(f).from]);
  });

  it('a line of no-break spaces or a form feed is an error in both, not a line run waits for forever', async () => {
    const dir = tempDir();
    const [a, b] = makeLines(2, 1);
    const file = writeLines(dir, 'in.jsonl', [a, '\u00a0\u00a0', '\f', b]);
    const { validate, run, summary, stored } = await both(file);
    expect(validate.code).toBe(1);
    expect(JSON.parse(validate.stdout)).toMatchObject({ lines: 4, valid: 2, invalid: 2 });
    expect(run.code).toBe(1);
    expect(summary).toMatchObject({ total: 4, imported: 2, invalid: 2, pending: 0 });
    expect(stored).toHaveLength(2);
  });

  it('a BOM followed by an empty line is blank in both: clean, and a complete run', async () => {
    const dir = tempDir();
    const [a, b] = makeLines(2, 1);
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, `\ufeff\n${JSON.stringify(a)}\n \t\n${JSON.stringify(b)}\n`);
    const { validate, run, summary } = await both(file);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ lines: 2, valid: 2 });
    expect(run.code).toBe(0);
    expect(summary).toMatchObject({ total: 2, imported: 2, pending: 0 });
  });

  it('a .gz input is read transparently by validate and run', async () => {
    const dir = tempDir();
    const lines = makeLines(30, 3);
    const file = join(dir, 'history.jsonl.gz');
    writeFileSync(file, gzipSync(lines.map((l) => JSON.stringify(l)).join('\n')));
    const { validate, report, run, summary, stored } = await both(file);
    expect(validate.code).toBe(0);
    expect(report).toMatchObject({ lines: 30, valid: 30 });
    expect(run.code).toBe(0);
    expect(summary).toMatchObject({ total: 30, imported: 30, pending: 0 });
    expect(stored).toHaveLength(30);
  });
});

describe('validate and run agree on every line', () => {
  it('on a file mixing good lines with every kind of odd one (seeded), run sends exactly the lines validate accepts', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const odd: Array<(line: string) => string | Buffer> = [
      () => '',
      () => ' \t ',
      () => '\r',
      () => '\u00a0',
      () => '\f',
      () => '\u2028',
      () => '\ufeff',
      (l) => l.replace('"from":', '"from":"x","from":'),
      (l) => l.replace('"body":{', '"body":{"__proto__":{},'),
      (l) => l.replace('"body"', `"ext":${'['.repeat(200)}${']'.repeat(200)},"body"`),
      (l) => Buffer.concat([Buffer.from(l.slice(0, 10)), Buffer.from([0xff]), Buffer.from(l.slice(10))]),
      (l) => l.replace(/"msg_timestamp":(\d+)/, (_, t) => `"msg_timestamp":${Math.floor(Number(t) / 1000)}`),
      (l) => l.slice(0, -1),
      (l) => `[${l}]`,
      (l) => `  ${l}\t`,
    ];
    const parts: Buffer[] = [];
    for (const line of makeLines(300, 20).map((l) => JSON.stringify(l))) {
      const pick = random() < 0.4 ? odd[Math.floor(random() * odd.length)] : undefined;
      const out = pick ? pick(line) : line;
      parts.push(typeof out === 'string' ? Buffer.from(out) : out, Buffer.from(random() < 0.2 ? '\r\n' : '\n'));
    }
    const dir = tempDir();
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, Buffer.concat(parts));

    const s = await server();
    const report = JSON.parse((await runMain(['validate', file, '--json'])).stdout);
    const run = await runMain(['run', file, '--state', join(dir, 'state'), ...conn(s), '--rate', '0', '--on-failure', 'continue', '--json']);
    const summary = JSON.parse(run.stdout);
    expect(report.invalid).toBeGreaterThan(20);
    expect(summary).toMatchObject({ total: report.lines, imported: report.valid, invalid: report.invalid, pending: 0 });
    const invalidLines = new Set(report.problems.map((p: { line: number }) => p.line));
    expect(invalidLines.size).toBe(report.invalid);
    expect(s.stored).toHaveLength(report.valid);
  });
});

describe('a damaged gzip input', () => {
  it('stops validate and run with one sentence naming the file (exit 2), not an unexpected error', async () => {
    const dir = tempDir();
    const lines = makeLines(3000, 30);
    const gz = gzipSync(lines.map((l) => JSON.stringify(l)).join('\n'));
    const file = join(dir, 'history.jsonl.gz');
    writeFileSync(file, gz.subarray(0, gz.length - 200));
    const s = await server();
    const validate = await runMain(['validate', file]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(new RegExp(`^easemob-import: cannot read ${file}: the gzip data is damaged \\(unexpected end of file\\)\n$`));
    const run = await runMain(['run', file, '--state', join(dir, 'state'), ...conn(s), '--rate', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*history.jsonl.gz: the gzip data is damaged/);
    expect(run.stderr).not.toMatch(/unexpected error/);
  });
});

describe('an input the user may not read', () => {
  it('EACCES: one sentence naming the path, exit 2', () => {
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(1, 1));
    chmodSync(file, 0o000);
    chmodSync(dir, 0o755);
    // root reads any file: run the CLI as nobody then (setpriv is part of util-linux)
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
    let result = { code: 0, stderr: '' };
    try {
      execFileSync(asUser[0], [...asUser.slice(1), CLI, 'validate', file], { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      result = { code: err.status, stderr: String(err.stderr) };
    }
    expect(result).toEqual({ code: 2, stderr: `easemob-import: cannot read ${file}: permission denied (EACCES)\n` });
  });
});

describe('validate names a file-wide mistake once', () => {
  it('a JSON array file', async () => {
    const dir = tempDir();
    const file = join(dir, 'history.json');
    writeFileSync(file, JSON.stringify(makeLines(20, 2), null, 2));
    const r = await runMain(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/JSON array/g)).toHaveLength(1);
    expect(r.stdout).toContain(`${file}: a JSON array, not JSON Lines: write one message object per line (for example: jq -c '.[]' ${file} > ${join(dir, 'history')}.jsonl)`);
    expect(r.stdout).not.toMatch(/:\d+: /); // no per-line problems
  });

  it('pretty-printed JSON', async () => {
    const dir = tempDir();
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify(makeLines(1, 1)[0], null, 2));
    const r = await runMain(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: pretty-printed JSON, not JSON Lines`);
    expect(r.stdout).not.toMatch(/:\d+: /);
  });

  it('a UTF-16 file', async () => {
    const dir = tempDir();
    const file = join(dir, 'utf16.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(makeLines(5, 1).map((l) => JSON.stringify(l)).join('\r\n'), 'utf16le')]));
    const r = await runMain(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: UTF-16, not UTF-8: save the file as UTF-8`);
    expect(r.stdout).not.toMatch(/:\d+: /);
  });

  it('timestamps in seconds: said once with the count, not on every line', async () => {
    const dir = tempDir();
    const lines = makeLines(50, 5).map((l) => ({ ...l, msg_timestamp: Math.floor(l.msg_timestamp / 1000) }));
    const file = writeLines(dir, 'in.jsonl', lines);
    const r = await runMain(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/looks like seconds/g)).toHaveLength(1);
    expect(r.stdout).toContain('50 lines (the first is line 1) have msg_timestamp in seconds: Easemob takes Unix milliseconds; multiply every timestamp by 1000');
    const json = JSON.parse((await runMain(['validate', file, '--json'])).stdout);
    expect(json.mistakes).toEqual([{ kind: 'seconds', lines: 50, message: expect.any(String) }]);
  });

  it('an empty file is not clean', async () => {
    const dir = tempDir();
    for (const text of ['', '\n\n  \n']) {
      writeFileSync(join(dir, 'empty.jsonl'), text);
      const r = await runMain(['validate', join(dir, 'empty.jsonl')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${join(dir, 'empty.jsonl')}: no lines to import (the file is empty, or only blank lines)`);
    }
  });
});

describe('the estimate', () => {
  it('validate prints per endpoint the conversations, the critical path and the deadline check; --json has it', async () => {
    const dir = tempDir();
    // one group of 300 lines among 30 small one-to-one conversations
    const lines = makeLines(90, 30).filter((l) => l.chat_type === 'single');
    const group = Array.from({ length: 300 }, (_, i) => ({ ...lines[0], chat_type: 'group' as const, source_id: `g${i}`, target: '42', msg_timestamp: 1_600_000_000_000 + i }));
    const file = writeLines(dir, 'in.jsonl', [...lines, ...group]);
    const r = await runMain(['validate', file, '--latency', '100ms', '--deadline', '10s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  group: 300 lines in 1 group; largest: group 42 (300)');
    expect(r.stdout).toContain('critical path: 300 calls × 110 ms (100 ms + 10 ms pacing) = about 33s');
    expect(r.stdout).toContain('importing takes about 33s, set by the largest conversation, one call at a time (100 ms a call, assumed');
    expect(r.stdout).toMatch(/does not fit the deadline of 10s: the largest conversation alone takes 33s, one call at a time \(100 ms each, plus pacing\), however high the rate/);
    const json = JSON.parse((await runMain(['validate', file, '--json', '--deadline', '1h'])).stdout);
    expect(json.estimate).toMatchObject({ latency_ms: 50, latency_source: 'assumed', seconds: 18, bound: 'critical_path', deadline: { fits: true } });
    expect(json.estimate.endpoints.group).toMatchObject({ lines: 300, conversations: 1, critical_path_s: 18 });
  });

  it('--probe measures the latency with token requests only: nothing is imported', async () => {
    const s = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(10, 2));
    const r = await runMain(['validate', file, '--probe', '--json', ...conn(s)]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.estimate.latency_source).toBe('measured');
    expect(json.estimate.probe.samples_ms).toHaveLength(5);
    expect(s.counts.tokenRequests).toBe(7); // two to open the connection and warm up, five measured
    expect(s.counts.requests).toBe(0); // import requests
    expect(s.stored).toHaveLength(0);

    const bad = await runMain(['validate', file, '--probe', '--base-url', s.url, '--org', 'org', '--app', 'app', '--client-id', 'client-id', '--client-secret', 'wrong-secret']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--probe: the token request was answered 401/);
    expect(bad.stderr).not.toContain('wrong-secret');
    const tokenOnly = await runMain(['validate', file, '--probe', '--base-url', s.url, '--org', 'org', '--app', 'app', '--token', 'tok']);
    expect(tokenOnly.code).toBe(2);
    expect(tokenOnly.stderr).toMatch(/--probe times token requests, so it needs a client ID and secret/);
  });
});

describe('the command line', () => {
  it('-v prints the version; --help documents the environment; defaults show without quotes', async () => {
    for (const flag of ['-v', '--version']) expect((await runMain([flag])).stdout.trim()).toBe(pkg.version);
    const help = (await runMain(['--help'])).stdout;
    expect(help).toMatch(/EASEMOB_IMPORT_PROGRESS_MS +how often run prints a progress line/);
    expect(help).toMatch(/EASEMOB_IMPORT_DEBUG +set to 1 to print the stack trace/);
    const run = (await runMain(['run', '--help'])).stdout;
    expect(run).toMatch(/\(default: 32\)/);
    expect(run).not.toMatch(/\(default: "32"\)/);
  });

  it('a bad token or URL stops before any call (exit 2), never echoing the secret', async () => {
    const s = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(3, 1));
    writeFileSync(join(dir, 'token'), 'YWMtFIRSTHALF\nYWMtSECONDHALF\n');
    const state = join(dir, 'state');
    const cases = [
      ['--token-file', join(dir, 'token')],
      ['--token', 'YWMt\u4e2d\u6587TOKEN'],
    ];
    for (const auth of cases) {
      const r = await runMain(['run', file, '--state', state, '--base-url', s.url, '--org', 'org', '--app', 'app', ...auth]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/HALF|TOKEN/);
    }
    const url = new URL(s.url);
    url.username = 'admin';
    url.password = 'hunter2secret';
    const r = await runMain(['run', file, '--state', state, '--base-url', url.href, '--org', 'org', '--app', 'app', '--token', 'tok']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base-url must not hold a user name or password/);
    expect(r.stderr).not.toContain('hunter2secret');
    expect(s.counts.requests).toBe(0);
  });
});
