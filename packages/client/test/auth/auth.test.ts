import { afterEach, describe, expect, it, vi } from 'vitest';
import { EasemobApiError, EasemobConfigError, createImportClient } from '../../src/index.js';
import { cachedToken } from '../../src/auth.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const credentials = { orgName: 'org', appName: 'app', clientId: 'YXA6client', clientSecret: 'YXA6secret' };

describe('static token', () => {
  it('sends it as a bearer token on every import', async () => {
    server = await startFaultServer();
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'static-tok' });
    await client.importUserMessage(textMessage);
    await client.importGroupMessage({ ...textMessage, target: '1123376564212' });
    expect(server.imports.map((r) => [r.path, r.authorization])).toEqual([
      ['/org/app/messages/users/import', 'Bearer static-tok'],
      ['/org/app/messages/chatgroups/import', 'Bearer static-tok'],
    ]);
    expect(server.tokens).toHaveLength(0);
  });

  it('cannot be refreshed, so a 401 is fatal at once and the call is not replayed', async () => {
    server = await startFaultServer({ checkToken: true, staticToken: 'good' });
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'stale' });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobApiError);
    expect(err).toMatchObject({ status: 401, kind: 'fatal', error: 'unauthorized' });
    expect(server.imports).toHaveLength(1);
  });
});

describe('client credentials', () => {
  // A token rejected before it ever worked is only replaced after `minTokenIntervalMs`; tests of the replay itself
  // pass 0. test/auth/token-bounds.test.ts covers the interval.
  it('exchanges them through getAppToken with the documented body, then caches the token', async () => {
    server = await startFaultServer({ checkToken: true });
    const client = createImportClient({ baseUrl: server.url, ...credentials, tokenTtl: 3600 });
    for (let i = 0; i < 5; i++) await client.importUserMessage(textMessage);
    expect(server.tokens).toHaveLength(1);
    expect(server.tokens[0]!.path).toBe('/org/app/token');
    expect(server.tokens[0]!.authorization).toBeUndefined();
    expect(server.tokens[0]!.body).toEqual({ grant_type: 'client_credentials', client_id: 'YXA6client', client_secret: 'YXA6secret', ttl: 3600 });
    expect(new Set(server.imports.map((r) => r.authorization))).toEqual(new Set(['Bearer issued-token-1-s3cr3t']));
  });

  it('makes exactly one token request for 100 concurrent calls', async () => {
    server = await startFaultServer({ checkToken: true, tokenDelayMs: 50 });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    const results = await Promise.all(Array.from({ length: 100 }, () => client.importUserMessage(textMessage)));
    expect(server.tokens).toHaveLength(1);
    expect(server.imports).toHaveLength(100);
    expect(new Set(results.map((r) => r.msgId)).size).toBe(100);
  });

  it('starts the per-attempt timeout after the token arrived, so a slow token request does not time the import out', async () => {
    server = await startFaultServer({ tokenDelayMs: 150 });
    server.script({ okAfterMs: 100 });
    const client = createImportClient({ baseUrl: server.url, ...credentials, timeoutMs: 200 });
    expect((await client.importUserMessage(textMessage)).attempts).toBe(1);
  });

  it('on a 401 refreshes the token once and replays the call once', async () => {
    server = await startFaultServer({ checkToken: true });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    await client.importUserMessage(textMessage);
    server.revokeTokens();
    const outcome = await client.importUserMessage(textMessage);
    expect(outcome.attempts).toBe(2);
    expect(server.tokens).toHaveLength(2);
    expect(server.imports.map((r) => r.authorization)).toEqual([
      'Bearer issued-token-1-s3cr3t',
      'Bearer issued-token-1-s3cr3t',
      'Bearer issued-token-2-s3cr3t',
    ]);
  });

  it('a call whose backoff outlives its fresh token replays again with the next one', async () => {
    server = await startFaultServer({ checkToken: true });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    await client.importUserMessage(textMessage); // token 1 works
    server.revokeTokens();
    // call A: 401 with token 1, replay with token 2 answered 503 with a one-second Retry-After
    server.script('ok', { status: 503, body: { error: 'service_unavailable' }, headers: { 'retry-after': '1' } });
    const a = client.importUserMessage(textMessage);
    await new Promise((r) => setTimeout(r, 300));
    await client.importUserMessage(textMessage); // token 2 works for call B during A's backoff
    server.revokeTokens(); // ... and then expires
    expect((await a).attempts).toBe(4); // 401 (token 1), 503 (token 2), 401 (token 2), 200 (token 3)
    expect(server.tokens).toHaveLength(3);
  });

  it('refreshes once for many concurrent calls rejected with the same token', async () => {
    server = await startFaultServer({ checkToken: true, tokenDelayMs: 20 });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    await client.importUserMessage(textMessage);
    server.revokeTokens();
    await Promise.all(Array.from({ length: 20 }, () => client.importUserMessage(textMessage)));
    expect(server.tokens).toHaveLength(2);
  });

  it('gives up with a fatal 401 when the fresh token is rejected too', async () => {
    server = await startFaultServer();
    server.script(
      { status: 401, body: { error: 'unauthorized', error_description: 'expired' } },
      { status: 401, body: { error: 'auth_bad_access_token', error_description: 'corrupt' } },
    );
    const client = createImportClient({ baseUrl: server.url, ...credentials, minTokenIntervalMs: 0 });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status: 401, kind: 'fatal', error: 'auth_bad_access_token' });
    expect(server.imports).toHaveLength(2);
    expect(server.tokens).toHaveLength(2);
  });

  it('reports rejected credentials as a fatal getAppToken error and sends no message', async () => {
    server = await startFaultServer({
      tokenSteps: [{ status: 401, body: { error: 'invalid_grant', error_description: 'client_secret does not match' } }],
    });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ operation: 'getAppToken', status: 401, kind: 'fatal', error: 'invalid_grant' });
    expect(server.imports).toHaveLength(0);
  });

  it('treats a failed token request as retryable (no message was sent) and retries the call', async () => {
    server = await startFaultServer({ tokenSteps: [{ status: 500, body: { error: 'internal' } }, 'reset'] });
    const onRetry = vi.fn();
    const client = createImportClient({ baseUrl: server.url, ...credentials, retry: { baseDelayMs: 1 }, onRetry, minTokenIntervalMs: 10 });
    const outcome = await client.importUserMessage(textMessage);
    expect(outcome.attempts).toBe(1);
    expect(server.tokens).toHaveLength(3);
    expect(onRetry.mock.calls.map(([e]) => [e.error.operation, e.error.kind])).toEqual([
      ['getAppToken', 'retryable'],
      ['getAppToken', 'retryable'],
    ]);
  });
});

describe('token cache', () => {
  it('keeps a token until 10% of its life (at most 5 minutes) before expires_in', async () => {
    let now = 0;
    const fetchToken = vi.fn(async () => ({ access_token: `t${fetchToken.mock.calls.length}`, expires_in: 600 }));
    const source = cachedToken(fetchToken, () => now);
    expect(await source.get()).toBe('t1');
    now = 539_999;
    expect(await source.get()).toBe('t1');
    now = 540_000;
    expect(await source.get()).toBe('t2');
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('caps the early refresh at 5 minutes for long-lived tokens and keeps ttl 0 tokens forever', async () => {
    let now = 0;
    const lives = [5_184_000, 0];
    const source = cachedToken(async () => ({ access_token: `t${lives.length}`, expires_in: lives.shift()! }), () => now);
    expect(await source.get()).toBe('t2');
    now = 5_184_000_000 - 300_000 - 1;
    expect(await source.get()).toBe('t2');
    now += 1;
    expect(await source.get()).toBe('t1');
    now = Number.MAX_SAFE_INTEGER;
    expect(await source.get()).toBe('t1');
  });

  it('only drops the token the server rejected, not a newer one', async () => {
    let n = 0;
    const source = cachedToken(async () => ({ access_token: `t${++n}`, expires_in: 3600 }), Date.now, 0);
    expect(await source.get()).toBe('t1');
    source.invalidate('t1');
    expect(await source.get()).toBe('t2');
    source.invalidate('t1');
    expect(await source.get()).toBe('t2');
  });

  it('forgets a failed token request so the next call tries again', async () => {
    let n = 0;
    const source = cachedToken(async () => {
      if (++n === 1) throw new Error('down');
      return { access_token: 'ok', expires_in: 3600 };
    }, Date.now, 0);
    await expect(source.get()).rejects.toThrow('down');
    expect(await source.get()).toBe('ok');
  });
});

describe('options', () => {
  it('requires exactly one way to authenticate', () => {
    // @ts-expect-error neither a token nor credentials
    expect(() => createImportClient({ baseUrl: 'http://127.0.0.1:8', orgName: 'o', appName: 'a' })).toThrow(EasemobConfigError);
    expect(() =>
      // @ts-expect-error both
      createImportClient({ baseUrl: 'http://127.0.0.1:8', orgName: 'o', appName: 'a', token: 't', clientId: 'i', clientSecret: 's' }),
    ).toThrow(EasemobConfigError);
  });
});
