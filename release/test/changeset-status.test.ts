import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const changesetBin = join(dirname(createRequire(import.meta.url).resolve('@changesets/cli/package.json')), 'bin.js');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
const status = (cwd: string, since: string) => spawnSync(process.execPath, [changesetBin, 'status', `--since=${since}`], { cwd, encoding: 'utf8' });

/** The base a change is measured against: CHANGESET_BASE, else the upstream main branch. */
function base() {
  if (process.env.CHANGESET_BASE) return process.env.CHANGESET_BASE;
  const upstream = spawnSync('git', ['rev-parse', '--verify', '-q', 'origin/main'], { cwd: root });
  return upstream.status === 0 ? 'origin/main' : 'HEAD';
}

describe('changeset status', () => {
  it('finds a changeset for every published package changed since the base', () => {
    const r = status(root, base());
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  describe('in a scratch clone', () => {
    let clone: string;
    beforeAll(() => {
      clone = mkdtempSync(join(tmpdir(), 'changeset-gate-'));
      git(root, 'clone', '-q', root, clone);
      git(clone, 'config', 'user.email', 'ci@example.com');
      git(clone, 'config', 'user.name', 'ci');
    });
    const commit = (file: string, text: string) => {
      appendFileSync(join(clone, file), text);
      git(clone, 'add', '-A');
      git(clone, 'commit', '-qm', `change ${file}`);
    };

    it('fails when a published package changes without a changeset', () => {
      commit('packages/client/README.md', '\nMore words.\n');
      expect(status(clone, 'HEAD~1').status).not.toBe(0);
    });

    it('passes once the change has a changeset', () => {
      writeFileSync(join(clone, '.changeset/client-words.md'), '---\n"@easemob-import/client": patch\n---\n\nClarify the README.\n');
      commit('.changeset/client-words.md', '');
      expect(status(clone, 'HEAD~2').status).toBe(0);
    });

    it('ignores changes to the docs site, which is not published', () => {
      commit('apps/docs/README.md', '\nMore words.\n');
      expect(status(clone, 'HEAD~1').status).toBe(0);
    });
  });
});
