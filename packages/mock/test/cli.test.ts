import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { node, nothingListensOn } from './support/process.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const tiny = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));
const txt = JSON.stringify({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } });
const headers = { 'content-type': 'application/json', authorization: 'Bearer t' };

describe('easemob-import-mock', () => {
  it('prints help with the defaults and an example', async () => {
    const run = node([cli, '--help']);
    expect((await run.exit).code).toBe(0);
    const { stdout } = run.output();
    expect(stdout).toContain('--port N          port to listen on (default 4010');
    expect(stdout).toContain('--host ADDR       address to bind (default 127.0.0.1)');
    expect(stdout).toContain('easemob-import-mock proxy --upstream https://');
  });

  it.each([
    [['--port', 'abc'], /--port must be a port number, got "abc"/],
    [['proxy'], /proxy needs --upstream/],
    [['serve'], /unknown argument: serve/],
    [['--upstream', 'http://127.0.0.1:1'], /are for the proxy command/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 with the reason on bad usage %j', async (args, reason) => {
    const run = node([cli, ...args]);
    expect((await run.exit).code).toBe(2);
    expect(run.output().stderr).toMatch(reason);
    expect(run.output().stderr).toContain('Usage:');
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

  it('exits 1 with Prism\'s reason when it cannot start', async () => {
    const run = node([cli, '--port', String(new URL(inject('mockUrl')).port)]);
    expect((await run.exit).code).toBe(1);
    expect(run.output().stderr).toMatch(/exited with code 1 before listening[\s\S]*EADDRINUSE/);
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
