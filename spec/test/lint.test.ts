import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redocly, rootConfig, specDir } from './redocly';

/** Copies spec sources and the lint config into a scratch folder with the same relative layout. */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'spec-lint-'));
  for (const p of ['openapi.yaml', 'paths', 'components']) cpSync(join(specDir, p), join(dir, 'spec', p), { recursive: true });
  cpSync(rootConfig, join(dir, 'redocly.yaml'));
  return dir;
}

describe('redocly lint', () => {
  it('reports zero problems on the contract', () => {
    const { status, output } = redocly(['lint', '--config', rootConfig]);
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/\d+ warnings?/);
    expect(status).toBe(0);
  });

  it.each([
    ['an example that breaks its schema', 'components/examples/UserTextMessage.yaml', 'msg: import message.', 'msg: 42', 'no-invalid-media-type-examples'],
    ['a misspelled field in an example', 'components/examples/GroupFileMessage.yaml', 'filename:', 'filname:', 'no-invalid-media-type-examples'],
    ['an operation tag that is not declared', 'paths/{org_name}_{app_name}_token.yaml', 'tags: [Authentication]', 'tags: [Auth]', 'operation-tag-defined'],
  ])('fails on %s', (_name, file, from, to, rule) => {
    const dir = scratchCopy();
    const path = join(dir, 'spec', file);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
    const { status, output } = redocly(['lint', '--config', join(dir, 'redocly.yaml')], dir);
    expect(status).not.toBe(0);
    expect(output).toContain(rule);
  });
});
