// The published shape: generated files, size and both builds. turbo builds dist before `test`; publint and
// attw run for every published package in release/test/package-lint.test.ts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startFaultServer, textMessage } from '../support/fault-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (bin: string, ...args: string[]) => {
  const r = spawnSync(`${root}node_modules/.bin/${bin}`, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
};

describe('generated files match the bundle (run `pnpm generate` after changing the spec)', () => {
  it('src/generated/openapi.d.ts', () => {
    const r = run('openapi-typescript', 'node_modules/@easemob-import/spec/dist/openapi.yaml', '-o', 'src/generated/openapi.d.ts', '--check');
    expect(r.status, r.output).toBe(0);
  });
  it('src/generated/rate-limits.ts', () => {
    const r = spawnSync(process.execPath, ['scripts/generate-rate-limits.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('published package', () => {
  it('stays within its size budget (size-limit, min+brotli)', () => {
    const r = run('size-limit', '--json');
    expect(r.status, r.output).toBe(0);
    const [own, total] = JSON.parse(r.output.slice(r.output.indexOf('['), r.output.lastIndexOf(']') + 1));
    expect(own.passed && total.passed).toBe(true);
    expect(own.size).toBeLessThanOrEqual(5000);
  }, 60_000);

  it('the ESM and CJS builds export the same API and both work', async () => {
    const esm = await import(`${root}dist/index.js`);
    const cjs = createRequire(import.meta.url)(`${root}dist/index.cjs`);
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(Object.keys(esm).sort()).toEqual(
      [
        'EasemobApiError', 'EasemobConfigError', 'EasemobError', 'EasemobRedirectError', 'EasemobTransportError', 'RATE_LIMITS',
        'classifyStatus', 'createImportClient', 'createRateLimiter',
      ],
    );
    const server = await startFaultServer();
    try {
      for (const mod of [esm, cjs]) {
        const client = mod.createImportClient({ baseUrl: server.url, orgName: 'o', appName: 'a', token: 't' });
        expect((await client.importUserMessage(textMessage)).msgId).toMatch(/^\d+$/);
      }
      // the version is baked in at build time
      const { version } = createRequire(import.meta.url)(`${root}package.json`);
      expect(server.imports.map((r) => r.headers['user-agent'])).toEqual(Array(2).fill(`easemob-import-client/${version} (node ${process.versions.node})`));
    } finally {
      await server.close();
    }
  });
});
