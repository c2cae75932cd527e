import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { published } from './published';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const bin = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);
const node = (script: string, args: string[], cwd: string) => spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8' });

describe.each(published)('$name as published', ({ dir }) => {
  it('passes publint', () => {
    const r = node(bin('publint', 'src/cli.js'), ['--strict'], join(root, dir));
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it('passes attw --pack', () => {
    // Packages without type declarations (the spec's JSON and YAML, the CLI) are checked for what they ship.
    const r = node(bin('@arethetypeswrong/cli', 'dist/index.js'), ['--pack', '.', '--format', 'ascii', '--profile', 'node16'], join(root, dir));
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });
});
