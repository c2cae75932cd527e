import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startMock } from '@easemob-import/mock';
import { freePort, isRunning, nothingListensOn } from './support/process.js';

const tiny = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));
const txt = { from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } };

function importMessage(url: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/org/app/messages/users/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t', ...headers },
    body: JSON.stringify(txt),
  });
}

describe('startMock', () => {
  it('serves the bundled spec on a free loopback port, and close() ends Prism and frees the port', async () => {
    const lines: string[] = [];
    const mock = await startMock({ onLog: (l) => lines.push(l) });
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(lines.some((l) => l.includes(`Prism is listening on ${mock.url}`))).toBe(true);
    expect(isRunning(mock.pid)).toBe(true);

    const res = await importMessage(mock.url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { msg_id: unknown } }).data.msg_id).toEqual(expect.any(String));

    await mock.close();
    expect(isRunning(mock.pid)).toBe(false);
    expect(await nothingListensOn(mock.port)).toBe(true);
    await mock.close(); // a second close is harmless
  });

  it('gives parallel mocks their own ports', async () => {
    const mocks = await Promise.all([startMock({ document: tiny }), startMock({ document: tiny })]);
    expect(mocks[0].port).not.toBe(mocks[1].port);
    await Promise.all(mocks.map((m) => m.close()));
  });

  it('listens on a requested port', async () => {
    const port = await freePort();
    const mock = await startMock({ document: tiny, port });
    expect(mock.url).toBe(`http://127.0.0.1:${port}`);
    await mock.close();
  });

  it('fails clearly when the port is taken, before starting Prism', async () => {
    const busy = createServer();
    const port = await new Promise<number>((r) => busy.listen(0, '127.0.0.1', () => r((busy.address() as { port: number }).port)));
    await expect(startMock({ document: tiny, port })).rejects.toThrow(`The mock could not listen on 127.0.0.1:${port} (EADDRINUSE).`);
    busy.close();
  });

  it('logs only its public address, though Prism listens on a private port behind it', async () => {
    const lines: string[] = [];
    const mock = await startMock({ document: tiny, onLog: (l) => lines.push(l) });
    const ports = new Set([...lines.join('\n').matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])));
    expect([...ports]).toEqual([mock.port]);
    await mock.close();
    expect(isRunning(mock.pid)).toBe(false);
  });

  it('fails with Prism\'s output when the document is not OpenAPI', async () => {
    const notASpec = fileURLToPath(new URL('./fixtures/parent.mjs', import.meta.url));
    await expect(startMock({ document: notASpec })).rejects.toThrow(/Prism's output:[\s\S]*fatal/);
  });

  it('fails clearly on a start-up timeout and leaves no Prism behind', async () => {
    const error = String(await startMock({ document: tiny, startTimeoutMs: 300 }).catch((e: Error) => e));
    expect(error).toMatch(/did not report listening within 300 ms\.\nCommand: prism mock .*tiny\.yaml[\s\S]*Prism's output:/);
    const pid = Number(/pid (\d+)/.exec(error)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });

  it('generates responses from the schemas with dynamic: true', async () => {
    const mock = await startMock({ dynamic: true });
    const res = await importMessage(mock.url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { msg_id: string }; entities: unknown[] };
    expect(body.data.msg_id).toEqual(expect.any(String));
    expect(body.entities).toEqual(expect.any(Array));
    await mock.close();
  });
});
