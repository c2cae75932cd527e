import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { published } from './published';

const root = join(import.meta.dirname, '..', '..');
const bin = (name: string) => join(import.meta.dirname, '..', 'node_modules', '.bin', name);
const run = (cmd: string, args: string[], cwd: string) => spawnSync(bin(cmd), args, { cwd, encoding: 'utf8' });

describe.each(published)('$name as published', ({ dir, attwProfile }) => {
  it('passes publint', () => {
    const r = run('publint', ['--strict'], join(root, dir));
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it('passes attw --pack', () => {
    const r = run('attw', ['--pack', '.', '--format', 'ascii', '--profile', attwProfile], join(root, dir));
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });
});
