// What convert writes, `run` imports: every source's fixture, converted, against the contract mock.
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { stateFiles } from '../support/invariants.js';
import { convert, fixture } from './support.js';

const CASES: Array<[string, string[]]> = [
  ['easemob', [fixture('easemob/export'), '--group-map', fixture('easemob/groups.csv')]],
  ['tencent', [fixture('tencent/export'), '--group-map', fixture('tencent/groups.json')]],
  ['rongcloud', [fixture('rongcloud/export'), '--group-map', fixture('rongcloud/groups.csv')]],
  ['slack', [fixture('slack/export.zip'), '--group-map', fixture('slack/groups.csv')]],
];

describe('convert, then run against the contract mock', () => {
  it.each(CASES)('%s: every converted line is imported', async (source, args) => {
    const c = await convert(['--from', source, ...args]);
    expect(c.lines.length).toBeGreaterThan(10);
    const r = await runCli(['run', c.out, '--base-url', inject('mockUrl'), '--org', 'my-org', '--app', 'my-app', '--token', 'any-token', '--stamp-ext', 'source_id', '--state', join(c.dir, 'state'), '--json'], { cwd: c.dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ total: c.lines.length, imported: c.lines.length, failed: 0, uncertain: 0, pending: 0 });
    expect(r.code).toBe(0);
    const { imported } = stateFiles(join(c.dir, 'state'));
    expect(imported.map((i) => i.source_id).sort()).toEqual(c.lines.map((l) => l.source_id).sort());
  });
});
