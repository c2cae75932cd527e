// Nothing leaves after an abort: a call aborted while it waits for a token never sends its message.
import { afterEach, describe, expect, it } from 'vitest';
import { EasemobTransportError, createImportClient } from '../../src/index.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const credentials = { orgName: 'org', appName: 'app', clientId: 'YXA6client', clientSecret: 'YXA6secret' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an abort while the token request is pending', () => {
  it('ends the call at once as not sent, and the message never reaches the server', async () => {
    server = await startFaultServer({ tokenDelayMs: 300 });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    const controller = new AbortController();
    const started = Date.now();
    const call = client.importUserMessage(textMessage, { signal: controller.signal }).catch((e) => e);
    setTimeout(() => controller.abort(), 50);
    const err = await call;
    expect(Date.now() - started).toBeLessThan(300); // did not wait for the token
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'retryable', sent: false });
    await sleep(500); // the token reply arrives meanwhile
    expect(server.tokens).toHaveLength(1);
    expect(server.imports).toHaveLength(0);
  });

  it('other calls waiting for the same token still go ahead', async () => {
    server = await startFaultServer({ tokenDelayMs: 200 });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    const controller = new AbortController();
    const aborted = client.importUserMessage(textMessage, { signal: controller.signal }).catch((e) => e);
    const kept = client.importUserMessage({ ...textMessage, body: { msg: 'kept' } });
    setTimeout(() => controller.abort(), 20);
    expect(await aborted).toMatchObject({ code: 'ABORTED', sent: false });
    await kept;
    expect(server.imports.map((r) => r.body.body.msg)).toEqual(['kept']);
  });

  it('an abort while waiting out the token interval is prompt and sends nothing', async () => {
    server = await startFaultServer({ rejectEveryToken: true });
    const client = createImportClient({ baseUrl: server.url, ...credentials, minTokenIntervalMs: 10_000 });
    await client.importUserMessage(textMessage).catch(() => undefined); // its token is rejected
    const started = Date.now();
    const err = await client.importUserMessage(textMessage, { signal: AbortSignal.timeout(100) }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toMatchObject({ code: 'ABORTED', sent: false });
    expect(server.imports).toHaveLength(1);
    expect(server.tokens).toHaveLength(1);
  });

  it('an already aborted signal makes no token request either', async () => {
    server = await startFaultServer();
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    const err = await client.importUserMessage(textMessage, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'retryable', sent: false });
    expect(server.tokens).toHaveLength(0);
    expect(server.imports).toHaveLength(0);
  });
});

describe('an abort while the request is in flight', () => {
  it('is uncertain and sent: the server has the message', async () => {
    server = await startFaultServer();
    server.script('hang');
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok' });
    const err = await client.importUserMessage(textMessage, { signal: AbortSignal.timeout(100) }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'uncertain', sent: true });
    expect(server.imports).toHaveLength(1);
  });
});
