import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { node, nothingListensOn, waitUntil } from './support/process.js';

// The bin as installed: the committed shim that loads dist/cli.js.
const cli = fileURLToPath(new URL('../bin/easemob-import-mock.js', import.meta.url));
const tiny = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const txt = JSON.stringify({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } });
const headers = { 'content-type': 'application/json', authorization: 'Bearer t' };

describe('easemob-import-mock', () => {
  it('prints help with the defaults and an example', async () => {
    const run = node([cli, '--help']);
    expect((await run.exit).code).toBe(0);
    const { stdout } = run.output();
    expect(stdout).toMatch(/--port <n> +port to listen on \(0 picks a free one\) \(default: 4010\)/);
    expect(stdout).toMatch(/--host <addr> +address to bind \(default: "127.0.0.1"\)/);
    expect(stdout).toContain('easemob-import-mock proxy --upstream https://');
  });

  it.each([['--version'], ['-v']])('prints its version with %s', async (flag) => {
    const run = node([cli, flag]);
    expect((await run.exit).code).toBe(0);
    expect(run.output().stdout.trim()).toBe(version);
  });

  it.each([
    [['--prot', '4010'], /^error: unknown option '--prot'\n\(Did you mean --port\?\)\n/],
    [['proxy', '--upstream', 'https://x', '--forward-invalib'], /^error: unknown option '--forward-invalib'\n\(Did you mean --forward-invalid\?\)\n/],
    [['--port', 'abc'], /^error: option '--port <n>' argument 'abc' is invalid\. not a port number/],
    [['proxy'], /^error: required option '--upstream <url>' not specified/],
    [['serve'], /^error: unknown command 'serve'; the only command is proxy/],
    [['--upstream', 'http://127.0.0.1:1'], /^error: unknown option '--upstream'/],
    [['proxy', '--upstream', 'http://127.0.0.1:1', '--dynamic'], /^error: unknown option '--dynamic'/],
  ])('exits 2 with the reason on bad usage %j, without the whole usage text', async (args, reason) => {
    const run = node([cli, ...args]);
    expect((await run.exit).code).toBe(2);
    const { stdout, stderr } = run.output();
    expect(stderr).toMatch(reason);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('(add --help for usage)');
    expect(stderr).not.toContain('Usage:');
    expect(stdout).toBe('');
  });

  it('serves the mock, logs requests, and stops on SIGTERM freeing the port', async () => {
    const run = node([cli, '--port', '0']);
    const [, url] = await run.line(/Prism is listening on (\S+)/);
    const res = await fetch(`${url}/org/app/messages/users/import`, { method: 'POST', headers, body: txt });
    expect(res.status).toBe(200);
    await run.line(/Responding with "200"/);

    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
    expect(await nothingListensOn(Number(new URL(url).port))).toBe(true);
  });

  it('serves another document with --spec', async () => {
    const run = node([cli, '--port', '0', '--spec', tiny]);
    const [, url] = await run.line(/Prism is listening on (\S+)/);
    const res = await fetch(`${url}/org/app/messages/users/import`, { method: 'POST', headers, body: '{"from":"u1"}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { msg_id: '123' } });
    run.child.kill('SIGTERM');
    expect((await run.exit).code).toBe(0);
  });

  it('says in one line that the port is taken, naming --port, and prints nothing of Prism\'s', async () => {
    const port = Number(new URL(inject('mockUrl')).port);
    const run = node([cli, '--port', String(port)]);
    expect((await run.exit).code).toBe(1);
    const { stdout, stderr } = run.output();
    expect(stderr).toBe(`easemob-import-mock: port ${port} on 127.0.0.1 is in use (another mock?); choose another with --port N, or --port 0 for any free port\n`);
    expect(stdout).toBe('');
  });

  it('stops Prism on SIGHUP (the terminal closed)', async () => {
    const run = node([cli, '--port', '0', '--spec', tiny]);
    const [, url] = await run.line(/Prism is listening on (\S+)/);
    run.child.kill('SIGHUP');
    expect((await run.exit).code).toBe(0);
    expect(await nothingListensOn(Number(new URL(url).port))).toBe(true);
  });

  it('stops Prism when the process that started it ends without passing a signal on (`npx ... &`, `kill $!`)', async () => {
    // A shell stands in for npx: killed with SIGKILL it cannot forward anything, and the command is re-parented.
    const wrapper = node(['-e', `require('child_process').spawn(process.execPath, ${JSON.stringify([cli, '--port', '0', '--spec', tiny])}, { stdio: 'inherit' }); setInterval(() => {}, 1000)`]);
    const [, url] = await wrapper.line(/Prism is listening on (\S+)/);
    const port = Number(new URL(url).port);
    expect(await nothingListensOn(port)).toBe(false);
    wrapper.child.kill('SIGKILL');
    await waitUntil(() => nothingListensOn(port), 10_000, `the mock on port ${port} has stopped`);
  });

  it('proxies to an upstream, validating the exchange', async () => {
    const run = node([cli, 'proxy', '--upstream', inject('mockUrl'), '--port', '0']);
    const [, url] = await run.line(/Prism is listening on (\S+)/);
    const ok = await fetch(`${url}/org/app/messages/users/import`, { method: 'POST', headers, body: txt });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { msg_id: string } }).data.msg_id).toEqual(expect.any(String));
    // Request validation happens in the proxy: an invalid body never reaches the upstream.
    const bad = await fetch(`${url}/org/app/messages/users/import`, { method: 'POST', headers, body: '{"from":"u1"}' });
    expect(bad.status).toBe(422);
    run.child.kill('SIGINT');
    expect((await run.exit).code).toBe(0);
  });
});
