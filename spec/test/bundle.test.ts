import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { redocly, rootConfig, specDir } from './redocly';

const bundleFiles = ['dist/openapi.yaml', 'dist/openapi.json'];
const sources = ['openapi.yaml', 'paths', 'components'];

function freshBundle(file: string, cwd = specDir, config = rootConfig) {
  const out = join(mkdtempSync(join(tmpdir(), 'spec-bundle-')), basename(file));
  const { status, output } = redocly(['bundle', 'openapi.yaml', '-o', out, '--config', config], cwd);
  expect(status, output).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('bundle', () => {
  const bundle = JSON.parse(readFileSync(join(specDir, 'dist/openapi.json'), 'utf8'));

  it('holds every file under components/ as a component of the same name', () => {
    const kinds = readdirSync(join(specDir, 'components'));
    const missing = kinds.flatMap((kind) =>
      readdirSync(join(specDir, 'components', kind))
        .map((f) => basename(f, '.yaml'))
        .filter((name) => !bundle.components?.[kind]?.[name])
        .map((name) => `components/${kind}/${name}.yaml`),
    );
    expect(missing).toEqual([]);
  });

  it('yaml and json bundles describe the same document', () => {
    expect(parse(readFileSync(join(specDir, 'dist/openapi.yaml'), 'utf8'))).toEqual(bundle);
  });

  it.each(bundleFiles)('%s matches a fresh bundle of the sources', (file) => {
    expect(readFileSync(join(specDir, file), 'utf8')).toBe(freshBundle(file));
  });

  // The build regenerates dist/, so a stale bundle would be overwritten before the test above sees it:
  // also bundle the committed sources and compare with the committed bundle.
  it.each(bundleFiles)('committed %s matches a bundle of the committed sources', (file) => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-head-'));
    execFileSync('sh', ['-c', `git archive HEAD:spec -- ${sources.join(' ')} dist | tar -x -C "${dir}"`], { cwd: join(specDir, '..') });
    cpSync(rootConfig, join(dir, 'redocly.yaml'));
    expect(readFileSync(join(dir, file), 'utf8')).toBe(freshBundle(file, dir, join(dir, 'redocly.yaml')));
  });

  it('declares the documented rate limit on every operation', () => {
    const limits = Object.values(bundle.paths).map((p: any) => [p.post.operationId, p.post['x-rate-limit']?.limit]);
    expect(Object.fromEntries(limits)).toEqual({ importUserMessage: 100, importGroupMessage: 100, getAppToken: 300 });
  });
});
