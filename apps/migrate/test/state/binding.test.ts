// A state directory is bound to its input and its target: a different or rewritten file, or another org, app
// or host, is refused (exit 2, naming both) before anything is sent; a file that only grew continues.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStateDir } from '../../src/state/binding.js';
import { runCli, runMain } from '../support/cli.js';
import { faultServers, type FaultServer } from '../support/fault-server.js';
import { makeLines, tempDir, writeLines } from '../support/fixtures.js';
import { STAMP } from '../support/invariants.js';

const server = faultServers();
const creds = ['--client-id', 'client-id', '--client-secret', 'client-secret'];
const target = (s: FaultServer, org = 'org') => ['--base-url', s.url, '--org', org, '--app', 'app'];
const run = (file: string, state: string, extra: string[]) => runMain(['run', file, '--state', state, ...creds, '--stamp-ext', STAMP, '--rate', '0', '--json', ...extra]);

describe('a state directory belongs to one input and one target', () => {
  it('two files with the same name get their own default state directories', async () => {
    const s = await server();
    const dir = tempDir();
    for (const year of ['2023', '2024']) mkdirSync(join(dir, year));
    const a = writeLines(join(dir, '2023'), 'history.jsonl', makeLines(3, 1, 1_600_000_000_000));
    const b = writeLines(join(dir, '2024'), 'history.jsonl', makeLines(3, 1, 1_700_000_000_000).map((l) => ({ ...l, source_id: undefined })));
    const args = ['--json', '--rate', '0', ...target(s), ...creds];
    const first = await runCli(['run', '2023/history.jsonl', ...args], { cwd: dir });
    const second = await runCli(['run', '2024/history.jsonl', ...args], { cwd: dir });
    expect([first.code, second.code], second.stderr).toEqual([0, 0]);
    expect(JSON.parse(second.stdout)).toMatchObject({ imported: 3, skipped: 0 });
    expect(s.stored).toHaveLength(6);
    expect(readdirSync(join(dir, '.easemob-import')).sort()).toEqual([defaultStateDir('.easemob-import', a), defaultStateDir('.easemob-import', b)].map((d) => d.split('/')[1]).sort());
  });

  it('refuses a rewritten input, names both, sends nothing; a file that only grew goes on', async () => {
    const s = await server();
    const dir = tempDir();
    const lines = makeLines(6, 2);
    const file = writeLines(dir, 'in.jsonl', lines.slice(0, 4));
    const state = join(dir, 'state');
    expect((await run(file, state, target(s))).code).toBe(0);

    // the same name, other content (ids "m1".."m4" collide)
    writeLines(dir, 'in.jsonl', makeLines(4, 2, 1_700_000_000_000));
    const rewritten = await run(file, state, target(s));
    expect(rewritten.code).toBe(2);
    expect(rewritten.stderr).toMatch(new RegExp(`${state} belongs to another import: the input ${file} \\(\\d+ bytes\\) is not the file this directory was started with, ${file} \\(\\d+ bytes\\): its content differs`));
    expect(rewritten.stderr).toContain('Nothing was sent');
    expect(s.stored).toHaveLength(4);

    // back to the original, plus two lines at the end: continues
    writeLines(dir, 'in.jsonl', lines.slice(0, 4));
    appendFileSync(file, lines.slice(4).map((l) => `${JSON.stringify(l)}\n`).join(''));
    const grown = await run(file, state, target(s));
    expect(grown.code, grown.stderr).toBe(0);
    expect(JSON.parse(grown.stdout)).toMatchObject({ imported: 2, skipped: 4 });

    // shorter than what earlier runs read
    writeLines(dir, 'in.jsonl', lines.slice(0, 3));
    const shorter = await run(file, state, target(s));
    expect(shorter.code).toBe(2);
    expect(shorter.stderr).toContain('it is shorter than what earlier runs read');
  });

  it('refuses another org, app or host, naming both targets; a bare run reuses the saved target', async () => {
    const s = await server();
    const other = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(4, 2));
    const state = join(dir, 'state');
    const stopped = await runMain(['run', file, '--state', state, ...target(s), ...creds, '--rate', '0', '--limit', '2', '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);

    const otherOrg = await run(file, state, target(s, 'other-org'));
    expect(otherOrg.code).toBe(2);
    expect(otherOrg.stderr).toContain(`this run imports into ${s.url} other-org#app, but this directory imported into ${s.url} org#app`);
    const otherHost = await run(file, state, target(other));
    expect(otherHost.code).toBe(2);
    expect(otherHost.stderr).toContain(`this run imports into ${other.url} org#app, but this directory imported into ${s.url} org#app`);
    expect(s.stored.length + other.stored.length).toBe(2);

    const bare = await run(file, state, []); // no --base-url, --org, --app: the saved ones
    expect(bare.code, bare.stderr).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ imported: 2, skipped: 2 });
    expect(s.stored).toHaveLength(4);
    const binding = readFileSync(join(state, 'binding.json'), 'utf8');
    expect(JSON.parse(binding).target).toEqual({ base_url: s.url, org: 'org', app: 'app' });
    expect(binding).not.toContain('client-secret');
  });

  it('creates the state directory 0700 and its files 0600', async () => {
    const s = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(2, 1));
    const state = join(dir, 'nested', 'state');
    expect((await run(file, state, target(s))).code).toBe(0);
    expect(statSync(state).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(state)) expect(statSync(join(state, f)).mode & 0o777, f).toBe(0o600);
  });

  it('a state directory that cannot be created: one sentence naming the path, exit 2', async () => {
    const s = await server();
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(2, 1));
    writeFileSync(join(dir, 'plain'), 'x');
    const under = await run(file, join(dir, 'plain', 'state'), target(s));
    expect(under.code).toBe(2);
    expect(under.stderr).toBe(`easemob-import: cannot create ${join(dir, 'plain', 'state')}: a part of the path is not a directory (ENOTDIR); pass another --state or fix the permissions\n`);
    const file2 = await run(file, join(dir, 'plain'), target(s));
    expect(file2.code).toBe(2);
    expect(file2.stderr).toMatch(/^easemob-import: cannot create .*plain: it exists and is not a directory \(EEXIST\)/);
    expect(s.stored).toHaveLength(0);
  });
});
