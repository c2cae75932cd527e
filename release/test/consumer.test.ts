import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { published } from './published';

// Installs the packed tarballs with npm into a project outside the workspace, so a missing file, a wrong
// `exports` entry or a dependency that only resolves inside the workspace fails here, not for a user.
const root = join(import.meta.dirname, '..', '..');
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });

describe('packed packages in a fresh npm project', () => {
  let project: string;

  beforeAll(() => {
    const work = mkdtempSync(join(tmpdir(), 'consumer-'));
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const pkg of published) run('pnpm', ['pack', '--pack-destination', tarballs], join(root, pkg.dir));
    project = join(work, 'project');
    cpSync(join(import.meta.dirname, 'consumer'), project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    expect(files).toHaveLength(published.length);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files, 'typescript@5.9.3', '@types/node@20.19.43'], project);
  });

  it('type-checks a program that uses the client, the spec bundle and the mock', () => {
    run(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], project);
  });

  it('runs it: a message is imported through the mock', () => {
    const out = JSON.parse(run(process.execPath, ['out/main.js'], project).trim().split('\n').at(-1)!);
    expect(out).toEqual({ msgId: expect.stringMatching(/^[0-9]+$/), isApiError: true, operations: 3 });
  });

  it('loads the client from CommonJS too', () => {
    const out = run(process.execPath, ['-e', "console.log(typeof require('@easemob-import/client').createImportClient)"], project);
    expect(out.trim()).toBe('function');
  });

  it.each([
    ['easemob-import', /validate/],
    ['easemob-import-mock', /--port/],
  ])('%s --help works from the install', (bin, expected) => {
    expect(run(join(project, 'node_modules/.bin', bin), ['--help'], project)).toMatch(expected);
  });
});
