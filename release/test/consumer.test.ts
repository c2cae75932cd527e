import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { startMock } from '@easemob-import/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinary, nodeMajors, npmEnv } from './nodes';
import { published } from './published';

// Packs every published package once, then installs the tarballs with npm, run by each supported Node, into a
// project outside the workspace: a missing file, a wrong `exports` entry, or a dependency that resolves
// differently without the workspace's lockfile and overrides (npm picks versions by the running Node's
// `engines`) fails here, not for a user.
const root = join(import.meta.dirname, '..', '..');
let work: string; // a fresh folder per run, removed afterwards
const mockManifest = JSON.parse(readFileSync(join(root, 'packages/mock/package.json'), 'utf8'));
const pinnedPrismServer: string = mockManifest.dependencies['@stoplight/prism-http-server'];

/** A body that is not JSON, sent as JSON: Prism 5.12 answers 400, 5.16 never answers. */
const notJson = "{from: 'u1'}";

interface Consumer {
  dir: string;
  /** Runs a command in the project with this Node first on PATH, so npm and the bins' shebangs use it. */
  run(cmd: string, args: string[]): string;
  env: NodeJS.ProcessEnv;
}

function consumer(major: number, tarballs: string[]): Consumer & { install(): Promise<unknown> } {
  const dir = join(work, `node${major}`);
  cpSync(join(import.meta.dirname, 'consumer'), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const env = npmEnv();
  env.PATH = `${dirname(nodeBinary(major))}${delimiter}${process.env.PATH}`;
  const run = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const { stdout, stderr } = e as { stdout: string; stderr: string };
      throw new Error(`${cmd} ${args.join(' ')} failed on Node ${major}:\n${stdout}${stderr}`);
    }
  };
  const deps = [...tarballs, 'typescript@5.9.3', '@types/node@20.19.43', 'vitest@4.1.12'];
  const install = () => promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...deps], { cwd: dir, env });
  return { dir, env, run, install };
}

/** Version of prism-http-server that the installed mock's Prism loads (resolved as Node resolves it). */
function prismServerVersion(fromDir: string): string {
  const mock = createRequire(join(fromDir, 'package.json')).resolve('@easemob-import/mock/package.json');
  const prismCli = createRequire(mock).resolve('@stoplight/prism-cli/package.json');
  return JSON.parse(readFileSync(createRequire(prismCli).resolve('@stoplight/prism-http-server/package.json'), 'utf8')).version;
}

/** POSTs `notJson` to an import endpoint; a hang becomes a timeout error instead of a stuck test. */
async function sendNotJson(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/my-org/my-app/messages/users/import`, {
    method: 'POST',
    headers: { authorization: 'Bearer consumer-token', 'content-type': 'application/json' },
    body: notJson,
    signal: AbortSignal.timeout(15_000),
  });
  await res.text();
  return res.status;
}

/** Starts the installed `easemob-import-mock` bin on a free port; resolves with its URL once Prism listens. */
function startMockBin(c: Consumer): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(join(c.dir, 'node_modules/.bin/easemob-import-mock'), ['--port', '0'], { cwd: c.dir, env: c.env });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`easemob-import-mock exited with ${code}:\n${lines.join('\n')}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /Prism is listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1].replace(/\/$/, ''), child });
    });
  });
}

const consumers = new Map<number, Consumer>();
let workspaceNotJsonStatus: number;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'consumer-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const pkg of published) execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, pkg.dir), stdio: 'pipe' });
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  expect(files).toHaveLength(published.length);
  const projects = nodeMajors.map((major) => [major, consumer(major, files)] as const);
  await Promise.all(projects.map(([, c]) => c.install())); // network and disk bound: in parallel
  for (const [major, c] of projects) consumers.set(major, c);

  const mock = await startMock(); // the workspace mock, as the mock's own tests run it
  try {
    workspaceNotJsonStatus = await sendNotJson(mock.url);
  } finally {
    await mock.close();
  }
});

afterAll(() => work && rmSync(work, { recursive: true, force: true })); // three installs: about 160 MB each

it('the workspace mock answers a body that is not JSON with 400 on the pinned prism-http-server', () => {
  expect(prismServerVersion(join(root, 'release'))).toBe(pinnedPrismServer);
  expect(workspaceNotJsonStatus).toBe(400);
});

describe.each(nodeMajors)('packed packages installed with npm on Node %i', (major) => {
  const c = () => consumers.get(major)!;
  let mockBin: { url: string; child: ChildProcess } | undefined;
  afterAll(() => void mockBin?.child.kill());

  it('runs this Node', () => {
    expect(c().run('node', ['-p', 'process.versions.node']).trim()).toMatch(new RegExp(`^${major}\\.`));
  });

  it("resolves the mock's Prism to the prism-http-server the workspace tests", () => {
    expect(prismServerVersion(c().dir)).toBe(pinnedPrismServer);
  });

  it('type-checks a program and a vitest test that use the client, the spec bundle and the mock', () => {
    c().run(join(c().dir, 'node_modules/.bin/tsc'), ['-p', '.']);
  });

  it('runs the program (ESM): a message is imported through startMock()', () => {
    const out = JSON.parse(c().run('node', ['out/main.js']).trim().split('\n').at(-1)!);
    expect(out).toEqual({ msgId: expect.stringMatching(/^[0-9]+$/), isApiError: true, operations: 3 });
  });

  it('loads the client and the spec bundle from CommonJS', () => {
    const program = "console.log(typeof require('@easemob-import/client').createImportClient, require('@easemob-import/spec/openapi.json').openapi)";
    expect(c().run('node', ['-e', program]).trim()).toBe('function 3.1.0');
  });

  it('the mock bin answers a body that is not JSON as the workspace mock does', async () => {
    mockBin = await startMockBin(c());
    expect(await sendNotJson(mockBin.url)).toBe(workspaceNotJsonStatus);
  });

  it('the CLI bin imports a small file through the mock bin', () => {
    const args = ['run', 'history.jsonl', '--base-url', mockBin!.url, '--org', 'my-org', '--app', 'my-app', '--token', 'consumer-token'];
    const summary = JSON.parse(c().run(join(c().dir, 'node_modules/.bin/easemob-import'), [...args, '--state', join(c().dir, 'state'), '--json']));
    expect(summary).toMatchObject({ total: 2, imported: 2, failed: 0, uncertain: 0 });
  });

  it("the mock's vitest global setup serves a consumer's test run", () => {
    expect(c().run(join(c().dir, 'node_modules/.bin/vitest'), ['run'])).toMatch(/1 passed/);
  });

  it.each([
    ['easemob-import', /validate/],
    ['easemob-import-mock', /--port/],
  ])('%s --help works from the install', (bin, expected) => {
    expect(c().run(join(c().dir, 'node_modules/.bin', bin), ['--help'])).toMatch(expected);
  });
});
