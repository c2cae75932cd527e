// `pnpm start` (scripts/start.mjs at the repository root): both sites come up even when the default ports are taken,
// a taken port that was asked for is one line, and Ctrl-C ends it cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { root } from './support';

const repo = join(root, '../..');
const startScript = join(repo, 'scripts/start.mjs');
const children: ChildProcess[] = [];
const held: Server[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  await Promise.all(held.splice(0).map((s) => new Promise((ok) => s.close(ok))));
});

/** Holds 127.0.0.1:port when it is free; either way the port is taken afterwards. */
async function occupy(port: number) {
  const server = createServer();
  await new Promise<void>((ok) => {
    server.once('error', () => ok());
    server.listen(port, '127.0.0.1', () => (held.push(server), ok()));
  });
}

/** Spawns a command in its own process group (as a terminal would), collecting its output. */
function start(command: string, args: string[], env: Record<string, string | undefined>, cwd = repo) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((ok) => child.once('close', (code) => ok(code)));
  const until = async (pattern: RegExp) => {
    const deadline = Date.now() + 60_000;
    while (!pattern.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in the output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exit, until, output: () => out };
}

describe('pnpm start', () => {
  test('moves off busy default ports, says where, and serves both sites there', async () => {
    await occupy(4010);
    await occupy(8080);
    const run = start(process.execPath, [startScript], { MOCK_PORT: undefined, DOCS_PORT: undefined });
    await run.until(/Press Ctrl-C to stop\./);
    const mockUrl = run.output().match(/Contract mock \(Prism\): +(http:\/\/127\.0\.0\.1:(\d+))  \(port 4010 is in use; set MOCK_PORT to choose\)/);
    const docsUrl = run.output().match(/Reference docs: +(http:\/\/127\.0\.0\.1:(\d+)\/) .*\(port 8080 is in use; set DOCS_PORT to choose\)/);
    expect(mockUrl, run.output()).not.toBeNull();
    expect(docsUrl, run.output()).not.toBeNull();
    expect(Number(mockUrl![2])).toBeGreaterThan(4010);
    expect(Number(docsUrl![2])).toBeGreaterThan(8080);

    const page = await fetch(`${docsUrl![1]}zh/`);
    expect(await page.text()).toContain('<html lang="zh-CN">');
    const imported = await fetch(`${mockUrl![1]}/my-org/my-app/messages/users/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } }),
    });
    expect(imported.status).toBe(200);

    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exit).toBe(0);
  });

  test.each(['MOCK_PORT', 'DOCS_PORT'])('a busy port chosen with %s is one line naming it, and nothing is left running', async (variable) => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    held.push(blocker);
    const port = (blocker.address() as { port: number }).port;
    const run = start(process.execPath, [startScript], { MOCK_PORT: '0', DOCS_PORT: '0', [variable]: String(port) });
    expect(await run.exit).toBe(1);
    expect(run.output()).toBe(`Port ${port} (${variable}) is in use on 127.0.0.1. Stop what uses it, or choose another: ${variable}=${port + 1} pnpm start\n`);
  });

  test('Ctrl-C ends it with exit code 0 and no ELIFECYCLE from pnpm', async () => {
    // The root script's command after its build step, run by pnpm as `pnpm start` runs it. A terminal's Ctrl-C
    // sends SIGINT to the whole process group: pnpm, and the server it started.
    const script = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts.start as string;
    const [build, serve] = script.split(' && ');
    expect(build).toMatch(/^TURBO_TELEMETRY_DISABLED=1 turbo run build\b/);
    expect(serve).toBe('exec node scripts/start.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'start-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'start-check', private: true, scripts: { start: serve.replace('scripts/start.mjs', JSON.stringify(startScript)) } }));
      const run = start('pnpm', ['start'], { MOCK_PORT: '0', DOCS_PORT: '0' }, dir);
      await run.until(/Press Ctrl-C to stop\./);
      process.kill(-run.child.pid!, 'SIGINT');
      expect(await run.exit).toBe(0);
      expect(run.output()).not.toMatch(/ELIFECYCLE|Command failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
