// Failures raised before a request leaves are `sent: false` (and never `uncertain`); bad options fail at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EasemobConfigError, EasemobError, EasemobTransportError, createImportClient, type ImportClientOptions } from '../../src/index.js';
import { refusedUrl, startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const base = { baseUrl: 'https://a1.example.com', orgName: 'org', appName: 'app', token: 'YWMt-good-token' };
const configError = (options: Record<string, unknown>) => {
  try {
    createImportClient({ ...base, ...options } as ImportClientOptions);
  } catch (e) {
    return e as EasemobConfigError;
  }
  throw new Error('createImportClient accepted the options');
};

describe('createImportClient refuses options no request could carry, naming the option, never its value', () => {
  it.each([
    ['a token with a line break', { token: 'YWMt-first\nsecond-s3cr3t' }, 'token', /line break at character 11/],
    ['a token with a trailing newline (a token file)', { token: 'YWMt-s3cr3t\n' }, 'token', /line break/],
    ['a token with a non-Latin-1 character', { token: 'YWMt-s3cr3t-€' }, 'token', /non-ASCII character/],
    ['a token with a space', { token: 'YWMt s3cr3t' }, 'token', /space/],
    ['an empty token', { token: '' }, 'token', /non-empty/],
    ['a base URL with user and password', { baseUrl: 'https://admin:pa55-s3cr3t@a1.example.com' }, 'baseUrl', /user name or password/],
    ['a base URL without a scheme', { baseUrl: 'a1.example.com' }, 'baseUrl', /not a valid URL/],
    ['a base URL of another scheme', { baseUrl: 'ftp://a1.example.com' }, 'baseUrl', /http:\/\/ or https:\/\//],
    ['a header value with a line break', { headers: { 'X-Trace': 'a\r\nX-Injected: s3cr3t' } }, 'headers', /X-Trace.*line break/],
    ['a header name that is not a token', { headers: { 'X Trace': 'x' } }, 'headers', /header name/],
    ['a User-Agent with a line break', { userAgent: 'me\nyou' }, 'headers', /User-Agent.*line break/],
    ['an empty client secret', { token: undefined, clientId: 'id', clientSecret: '' }, 'clientSecret', /non-empty/],
    ['both a token and client credentials', { clientId: 'id', clientSecret: 'YXA6-s3cr3t' }, 'token', /either token, or both/],
  ])('%s', (_, options, field, message) => {
    const err = configError(options);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err).toBeInstanceOf(EasemobError);
    expect(err).toMatchObject({ field, kind: 'fatal', sent: false, operation: 'createImportClient' });
    expect(err.message).toMatch(message);
    expect(err.message).toContain(field === 'headers' ? 'headers' : field);
    expect(`${err.stack}`).not.toMatch(/s3cr3t|pa55|admin|X-Injected/);
  });
});

describe('a request that cannot leave is not sent, never uncertain', () => {
  it('a bad per-call header: EasemobConfigError, sent: false, nothing reaches the server', async () => {
    server = await startFaultServer();
    const client = createImportClient({ ...base, baseUrl: server.url });
    const err = await client.importUserMessage(textMessage, { headers: { 'X-Trace': 'line\nbreak' } }).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err).toMatchObject({ kind: 'fatal', sent: false, operation: 'importUserMessage', field: 'headers' });
    expect(server.imports).toHaveLength(0);
  });

  it('a port fetch refuses ("bad port", e.g. 6000): EasemobConfigError, sent: false, not retried', async () => {
    const onRetry = vi.fn();
    const client = createImportClient({ ...base, baseUrl: 'http://127.0.0.1:6000', onRetry });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err).toMatchObject({ kind: 'fatal', sent: false, operation: 'importUserMessage' });
    expect(err.message).toContain('bad port');
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('the same for the token request: a fatal getAppToken error, nothing sent', async () => {
    const client = createImportClient({ baseUrl: 'http://127.0.0.1:6000', orgName: 'org', appName: 'app', clientId: 'id', clientSecret: 'YXA6secret' });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err).toMatchObject({ kind: 'fatal', sent: false, operation: 'getAppToken' });
  });

  it('a failure before the request is handed to fetch (here a middleware) is not sent', async () => {
    server = await startFaultServer();
    const client = createImportClient({ ...base, baseUrl: server.url });
    client.raw.use({ onRequest: () => { throw new TypeError('cannot build it'); } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err).toMatchObject({ kind: 'fatal', sent: false });
    expect(err.message).toContain('cannot build it');
    expect(server.imports).toHaveLength(0);
  });

  it('a refused connection is sent: false (and retryable)', async () => {
    const client = createImportClient({ ...base, baseUrl: await refusedUrl(), retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', kind: 'retryable', sent: false });
  });

  it('a failed token request is sent: false even when it was a 500', async () => {
    server = await startFaultServer({ tokenSteps: [{ status: 500, body: { error: 'internal' } }] });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', clientId: 'id', clientSecret: 'YXA6secret', retry: { maxAttempts: 1 } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ operation: 'getAppToken', status: 500, kind: 'retryable', sent: false });
    expect(server.imports).toHaveLength(0);
  });

  it('once a request left, the call stays sent: a later refused connection reports sent: true', async () => {
    server = await startFaultServer();
    server.script({ status: 503, body: { error: 'service_unavailable' } });
    const refused = await refusedUrl();
    let n = 0;
    const fetch = (request: Request) => globalThis.fetch(n++ === 0 ? request : new Request(request.url.replace(server.url, refused), request));
    const client = createImportClient({ ...base, baseUrl: server.url, fetch, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', kind: 'retryable', sent: true });
  });

  it('a request that reached the server is sent: true', async () => {
    server = await startFaultServer();
    server.script({ status: 500, body: { error: 'internal' } });
    const err = await createImportClient({ ...base, baseUrl: server.url }).importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status: 500, kind: 'uncertain', sent: true });
  });
});

describe('a `fetch` option that decides not to send', () => {
  it('rejects with an EasemobError, which becomes the call\'s outcome as is: not sent, not retried', async () => {
    server = await startFaultServer();
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw new EasemobConfigError({ message: 'the journal could not be written', operation: 'importUserMessage' });
    };
    const client = createImportClient({ ...base, baseUrl: server.url, fetch });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobConfigError);
    expect(err).toMatchObject({ kind: 'fatal', sent: false });
    expect(err.message).toContain('the journal could not be written');
    expect(calls).toBe(1);
  });

  it('any other error from it may have been sent: uncertain', async () => {
    const client = createImportClient({ ...base, fetch: async () => { throw new Error('whatever happened'); } });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err).toMatchObject({ kind: 'uncertain', sent: true });
  });
});
