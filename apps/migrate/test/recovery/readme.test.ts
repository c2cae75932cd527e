// The README's walkthrough of a dry run, a canary, held lines, retry and a mismatched resume is what the CLI
// prints: each command shown is run (against the fault server playing Easemob) and its output compared.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { faultServers } from '../support/fault-server.js';
import { tempDir } from '../support/fixtures.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The lines the README shows after `$ command`, up to the next prompt or the end of the block. */
function shown(command: string): string[] {
  const lines = readme.split('\n');
  const at = lines.findIndex((l) => l.trim() === `$ ${command}`);
  expect(at, `README shows \`$ ${command}\``).toBeGreaterThan(-1);
  const indent = lines[at].indexOf('$');
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (l.trim().startsWith('$ ') || l.trim().startsWith('```')) break;
    out.push(l.slice(indent));
  }
  return out;
}

const server = faultServers();

describe('README walkthrough', () => {
  it('dry run, canary, held lines, retry and a mismatched resume print what the README shows', async () => {
    const s = await server({ org: 'my-org', app: 'my-app', faults: { refuse: ['grp-77-2'] } });
    const dir = tempDir();
    const example = /```jsonl\n([\s\S]*?)```/.exec(readme)![1];
    writeFileSync(join(dir, 'history.jsonl'), example);
    const env = { EASEMOB_BASE_URL: s.url, EASEMOB_ORG: 'my-org', EASEMOB_APP: 'my-app', EASEMOB_CLIENT_ID: 'client-id', EASEMOB_CLIENT_SECRET: 'client-secret' };
    const timing = /^ {2}\d\S*, [\d.]+ calls\/s, latency p50 \d+ ms, p95 \d+ ms, \d+ retries, \d+ rate-limited$/;
    const normal = (text: string) =>
      text
        .split(s.url).join('https://a1.easemob.com')
        .replace(/history\.jsonl-[0-9a-f]{8}/g, 'history.jsonl-3f9a1c2e')
        .trimEnd()
        .split('\n')
        .map((l) => (timing.test(l) ? '<timing>' : l));
    let hash = '3f9a1c2e'; // the README's; the real one depends on where the test runs
    const check = async (command: string, code: number, stream: 'stdout' | 'stderr' = 'stdout') => {
      const r = await runCli(command.replace('3f9a1c2e', hash).split(' ').slice(1), { cwd: dir, env });
      expect(r.code, `${command}: ${r.stderr}`).toBe(code);
      expect(normal(r[stream]), command).toEqual(normal(shown(command).join('\n')));
    };

    await check('easemob-import run history.jsonl --dry-run', 0);
    await check('easemob-import run history.jsonl --stamp-ext source_id --limit 3', 0);
    await check('easemob-import run history.jsonl --stamp-ext source_id', 1);
    expect(s.stored.map((m) => String(m.body.ext?.source_id)).sort()).toEqual(['grp-77-1', 'wx-1001', 'wx-1002', 'wx-1003', 'wx-1004']);
    await check('easemob-import run history.jsonl --org other-org', 2, 'stderr');
    s.setFaults({}); // the cause is fixed in Easemob
    hash = /history\.jsonl-([0-9a-f]{8})/.exec((await runCli(['status', '--json'], { cwd: dir, env })).stdout)![1];
    await check('easemob-import retry .easemob-import/history.jsonl-3f9a1c2e', 0);
    expect(s.stored.slice(-3).map((m) => m.body.ext?.source_id)).toEqual(['grp-77-2', 'grp-77-3', 'grp-77-4']);
  }, 60_000);
});
