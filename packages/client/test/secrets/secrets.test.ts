import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EasemobConfigError, EasemobRedirectError, EasemobTransportError, createImportClient, type ImportClientOptions } from '../../src/index.js';
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
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET, minTokenIntervalMs: 0 });
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
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET, retry: { baseDelayMs: 1 }, minTokenIntervalMs: 0 });
    await client.importUserMessage(textMessage);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    spies.forEach((s) => s.mockRestore());
  });

  it('not through a redirect error, whose Location may carry a token or a password', async () => {
    server = await startFaultServer();
    server.script({ status: 307, headers: { location: `http://admin:Pa55word@elsewhere.example.com/import?access_token=${TOKEN}` } });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: TOKEN });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobRedirectError);
    expect(err.locationOrigin).toBe('http://elsewhere.example.com');
    expectClean(err, [TOKEN, 'Pa55word', 'admin']);
  });

  it('not through configuration errors: a bad token, a URL with a password, a bad header', () => {
    const cases: Partial<ImportClientOptions>[] = [
      { token: `${TOKEN}\nsecond-line` },
      { token: `${TOKEN}\u00e9` },
      { baseUrl: `https://admin:${SECRET}@a1.example.com` },
      { headers: { Authorization: `Bearer ${TOKEN}\n` } },
    ];
    for (const options of cases) {
      let err: unknown;
      try {
        createImportClient({ baseUrl: 'https://a1.example.com', orgName: 'org', appName: 'app', token: 'ok', ...options } as ImportClientOptions);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EasemobConfigError);
      expectClean(err, [TOKEN, SECRET]);
    }
  });

  it('not through an error raised while building the request, even if its text quotes the header', async () => {
    server = await startFaultServer();
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: TOKEN });
    // What fetch says about a bad Authorization value: it quotes the value.
    client.raw.use({ onRequest: ({ request }) => { throw new TypeError(`Headers.set: "${request.headers.get('authorization')}" is an invalid header value.`); } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err.message).toContain('[redacted]');
    expectClean(err, [TOKEN]);
  });

  it('not through the cause chain of a transport error, nor an issued token quoted by a proxy', async () => {
    server = await startFaultServer();
    const client = createImportClient({
      baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET, retry: { maxAttempts: 1 },
      // a fetch whose failure quotes the request's credentials, as some proxies and wrappers do
      fetch: async (request) => {
        if (request.url.endsWith('/token')) return globalThis.fetch(request);
        const auth = request.headers.get('authorization');
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(`socket hang up for ${auth} via http://u:${SECRET}@proxy`), { code: 'ECONNRESET' }) });
      },
    });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err).toMatchObject({ code: 'ECONNRESET', kind: 'uncertain' });
    expect(err.cause.cause.code).toBe('ECONNRESET');
    expectClean(err, [SECRET, 'issued-token-1-s3cr3t']);
  });

  it('not through an abort error, nor a token reply that is not usable', async () => {
    server = await startFaultServer({ tokenSteps: [{ status: 200, body: { access_token: `${SECRET}\nx`, expires_in: 10 } }] });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: SECRET });
    const bad = await client.importUserMessage(textMessage).catch((e) => e);
    expect(bad).toMatchObject({ operation: 'getAppToken', kind: 'fatal' });
    expectClean(bad, [SECRET]);
    const aborted = await client.importUserMessage(textMessage, { signal: AbortSignal.abort(new Error(`stop ${SECRET}`)) }).catch((e) => e);
    expect(aborted).toMatchObject({ code: 'ABORTED', sent: false });
    expectClean(aborted, [SECRET]);
  });
});

