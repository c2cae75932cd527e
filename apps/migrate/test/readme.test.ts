// The README's input examples are real: one line per message type, valid as documented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineChecker } from '../src/validate.js';
import { TYPES } from './support/fixtures.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has one valid example line per message type, in both chat types', () => {
    const block = /```jsonl\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = block.trim().split('\n').map((l) => JSON.parse(l));
    const checker = new LineChecker();
    lines.forEach((l, i) => expect(checker.check(i + 1, l), JSON.stringify(l)).toMatchObject({ ok: true }));
    expect(lines.map((l) => l.type).sort()).toEqual([...TYPES].sort());
    expect(new Set(lines.map((l) => l.chat_type))).toEqual(new Set(['single', 'group']));
  });

  it('documents every run option', async () => {
    const { runMain } = await import('./support/cli.js');
    const help = (await runMain(['run', '--help'])).stdout;
    for (const flag of help.match(/--[a-z-]+/g) ?? []) if (flag !== '--help') expect(readme, flag).toContain(flag);
  });
});
