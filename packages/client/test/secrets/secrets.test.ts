import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createImportClient } from '../../src/index.js';
import { refusedUrl, startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const TOKEN = 'YWMtStaticToken-s3cr3t';
const SECRET = 'YXA6ClientSecret-s3cr3t';

// Every way a value ends up in a log line.
const renderings = (value: unknown) => [
  String(value),
  JSON.stringify(value) ?? '',
  inspect(value, { depth: Infinity, showHidden: true, getters: true }),
  value instanceof Error ? `${value.stack}` : '',
];
const expectClean = (value: unknown, secrets: string[]) => {
  for (const text of renderings(value)) for (const s of secrets) expect(text).not.toContain(s);
};

describe('tokens and secrets never leak', () => {
  it('not through the client object', () => {
    const a = createImportClient({ baseUrl: 'http://127.0.0.1:8', orgName: 'org', appName: 'app', token: TOKEN });
    const b = createImportClient({ baseUrl: 'http://127.0.0.1:8', orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET });
    expectClean(a, [TOKEN]);
    expectClean(b, [SECRET]);
    expect(String(a)).toBe('[ImportClient org#app]');
  });

  it('not through an API error, even when the server echoes the token back', async () => {
    server = await startFaultServer();
    server.script({ status: 401, body: { error: 'unauthorized', error_description: `token ${TOKEN} expired` } });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: TOKEN });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err.errorDescription).toBe('token [redacted] expired');
    expectClean(err, [TOKEN]);
  });

  it('not through errors of the credentials flow: neither the secret nor an issued token', async () => {
    server = await startFaultServer({
      tokenSteps: [{ status: 400, body: { error: 'invalid_grant', error_description: `bad secret ${SECRET}` } }],
    });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET });
    const tokenErr = await client.importUserMessage(textMessage).catch((e) => e);
    expect(tokenErr.operation).toBe('getAppToken');
    expectClean(tokenErr, [SECRET]);

    await client.importUserMessage(textMessage); // now a token is issued
    const issued = server.imports.at(-1)!.authorization!.slice('Bearer '.length);
    server.script({ status: 403, body: { error: 'forbidden_op', error_description: `not for ${issued}` } });
    const apiErr = await client.importUserMessage(textMessage).catch((e) => e);
    expect(apiErr.status).toBe(403);
    expectClean(apiErr, [SECRET, issued]);
    expectClean(client, [SECRET, issued]);
  });

  it('not through transport errors', async () => {
    const client = createImportClient({ baseUrl: await refusedUrl(), orgName: 'org', appName: 'app', token: TOKEN, retry: { maxAttempts: 1 } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err.code).toBe('ECONNREFUSED');
    expectClean(err, [TOKEN]);
  });

  it('and the client writes nothing to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    server = await startFaultServer();
    server.script({ status: 503, body: { error: 'x' } }, { status: 401, body: { error: 'unauthorized' } });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET, retry: { baseDelayMs: 1 } });
    await client.importUserMessage(textMessage);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    spies.forEach((s) => s.mockRestore());
  });
});
