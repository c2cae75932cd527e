// The README's convert walkthrough is true: its example output is what converting the Easemob fixture prints,
// and every convert flag is documented.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';
import { fixture } from './support.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README: convert', () => {
  it('shows what converting the Easemob fixture prints', async () => {
    const shown = /\$ easemob-import convert --from easemob exports -o history\.jsonl --group-map groups\.csv\n([\s\S]*?)\n\$ easemob-import validate/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    const dir = tempDir('easemob-import-readme-');
    cpSync(fixture('easemob/export'), join(dir, 'exports'), { recursive: true });
    cpSync(fixture('easemob/groups.csv'), join(dir, 'groups.csv'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runMain(['convert', '--from', 'easemob', 'exports', '-o', 'history.jsonl', '--group-map', 'groups.csv']);
      const got = r.stdout.trimEnd().split('\n');
      const want = (shown ?? '').split('\n');
      expect(got).toHaveLength(want.length);
      const timeless = (l: string) => l.replace(/\(easemob, [\d.]+s\)/, '(easemob, Ns)');
      want.forEach((line, i) => {
        if (line.endsWith(', ...')) expect(got[i].startsWith(line.slice(0, -', ...'.length))).toBe(true);
        else expect(timeless(got[i])).toBe(timeless(line));
      });
    } finally {
      process.chdir(cwd);
    }
  });

  it('documents every convert option', async () => {
    const help = (await runMain(['convert', '--help'])).stdout;
    for (const flag of help.match(/--[a-z-]+/g) ?? []) if (flag !== '--help') expect(readme, flag).toContain(flag);
    for (const source of ['easemob', 'tencent', 'rongcloud', 'slack']) expect(readme).toContain(`--from ${source}`);
  });
});
