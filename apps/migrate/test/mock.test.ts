// Against the contract mock (Prism on the spec bundle): what the CLI sends is what the spec accepts.
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from './support/cli.js';
import { makeLines, tempDir, TYPES, writeLines } from './support/fixtures.js';
import { stateFiles } from './support/invariants.js';
import { defaultStateDir } from '../src/state/binding.js';

describe('against the contract mock', () => {
  it('runs a small mixed file (every message type, both chat types) clean', async () => {
    const dir = tempDir();
    const lines = makeLines(32, 6); // 4 of each type over single chats and groups
    lines[0].ext = { note: 'ext is sent as is' };
    const file = writeLines(dir, 'mixed.jsonl', lines);
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(TYPES));
    expect(new Set(lines.map((l) => l.chat_type))).toEqual(new Set(['single', 'group']));

    const r = await runCli(['run', file, '--base-url', inject('mockUrl'), '--org', 'my-org', '--app', 'my-app', '--client-id', 'YXA6id', '--client-secret', 'YXA6secret', '--stamp-ext', 'source_id', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ total: 32, imported: 32, failed: 0, uncertain: 0, pending: 0 });
    const { imported } = stateFiles(defaultStateDir(join(dir, '.easemob-import'), file));
    expect(imported).toHaveLength(32);
    expect(imported.every((i) => /^\d+$/.test(i.msg_id ?? ''))).toBe(true);
  });

  it('imports with a static token too', async () => {
    const dir = tempDir();
    const file = writeLines(dir, 'in.jsonl', makeLines(4, 2));
    const r = await runCli(['run', file, '--base-url', inject('mockUrl'), '--org', 'o', '--app', 'a', '--token', 'YWMtoken', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 4, failed: 0 });
  });
});
