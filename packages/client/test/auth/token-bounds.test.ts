// Token replies that cannot be used, and how many token requests a 401 storm or a failing token endpoint costs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EasemobApiError, createImportClient } from '../../src/index.js';
import { cachedToken } from '../../src/auth.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const credentials = { orgName: 'org', appName: 'app', clientId: 'YXA6client', clientSecret: 'YXA6secret' };

describe('a token reply without a usable access_token', () => {
  it.each([
    ['missing', { expires_in: 3600, application: 'app-uuid' }],
    ['not a string', { access_token: 12345, expires_in: 3600 }],
    ['empty', { access_token: '', expires_in: 3600 }],
    ['two lines', { access_token: 'YWMt-a\nb', expires_in: 3600 }],
  ])('%s: a fatal getAppToken error, not retried, and no "Bearer undefined" is ever sent', async (_, body) => {
    server = await startFaultServer({ tokenSteps: [{ status: 200, body }] });
    const onRetry = vi.fn();
    const client = createImportClient({ baseUrl: server.url, ...credentials, onRetry });
    const err = await client.importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobApiError);
    expect(err).toMatchObject({ operation: 'getAppToken', error: 'invalid_response', kind: 'fatal', sent: false });
    expect(err.message).toContain('access_token');
    expect(server.tokens).toHaveLength(1);
    expect(server.imports).toHaveLength(0);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('a reply without expires_in keeps the token until it is rejected (no token request per call)', async () => {
    server = await startFaultServer({ tokenSteps: [{ status: 200, body: { access_token: 'YWMt-forever' } }] });
    const client = createImportClient({ baseUrl: server.url, ...credentials });
    for (let i = 0; i < 5; i++) await client.importUserMessage(textMessage);
    expect(server.tokens).toHaveLength(1);
  });
});

describe('a 401 storm makes a bounded number of token requests', () => {
  it('200 concurrent calls all rejected: one token request, each call fails at once with the 401', async () => {
    server = await startFaultServer({ rejectEveryToken: true });
    const client = createImportClient({ baseUrl: server.url, ...credentials }); // the default interval, 1 s
    const started = Date.now();
    const errors = await Promise.all(Array.from({ length: 200 }, () => client.importUserMessage(textMessage).catch((e) => e)));
    const elapsed = Date.now() - started;
    expect(errors.every((e) => e instanceof EasemobApiError && e.status === 401 && e.kind === 'fatal')).toBe(true);
    // a token rejected within the interval after it was requested is not replaced at once, so nothing is replayed
    expect(server.tokens.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 1000));
    expect(server.imports.length).toBeLessThanOrEqual(200 + 200 * Math.floor(elapsed / 1000));
  });

  it('calls that keep coming: at most one token request per minTokenIntervalMs', async () => {
    server = await startFaultServer({ rejectEveryToken: true });
    const client = createImportClient({ baseUrl: server.url, ...credentials, minTokenIntervalMs: 100 });
    const started = Date.now();
    let calls = 0;
    // 8 workers, each sending one call after another, for 600 ms
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (Date.now() - started < 600) {
        calls++;
        await client.importUserMessage(textMessage).catch(() => undefined);
      }
    }));
    const elapsed = Date.now() - started;
    expect(calls).toBeGreaterThan(8);
    // without the bound: one token request per call, and one more per replay
    expect(server.tokens.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 100));
    expect(server.tokens.length).toBeLessThan(calls);
  });

  it('a failing token endpoint: concurrent retrying calls share token requests at most one per interval', async () => {
    server = await startFaultServer({ tokenSteps: Array(100).fill({ status: 500, body: { error: 'internal' } }) });
    const client = createImportClient({
      baseUrl: server.url, ...credentials, minTokenIntervalMs: 100, retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 6 },
    });
    const started = Date.now();
    const errors = await Promise.all(Array.from({ length: 50 }, () => client.importUserMessage(textMessage).catch((e) => e)));
    const elapsed = Date.now() - started;
    expect(errors.every((e) => e.operation === 'getAppToken' && e.kind === 'retryable' && e.sent === false)).toBe(true);
    expect(server.tokens.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 100));
    expect(server.tokens.length).toBeLessThan(50);
    expect(server.imports).toHaveLength(0);
  });
});

describe('the interval between token requests', () => {
  it('does not delay replacing a token issued long ago; it delays replacing one rejected soon after it was issued', async () => {
    let now = 0;
    const fetchToken = vi.fn(async () => ({ access_token: `t${fetchToken.mock.calls.length}`, expires_in: 0 }));
    const source = cachedToken(fetchToken, () => now, 60);
    expect(await source.get()).toBe('t1');
    now = 10_000; // long after t1 was requested
    source.invalidate('t1');
    let at = performance.now();
    expect(await source.get()).toBe('t2');
    expect(performance.now() - at).toBeLessThan(55);
    source.invalidate('t2'); // rejected right after it was issued, never having worked: the next request waits
    at = performance.now();
    expect(await source.get()).toBe('t3');
    expect(performance.now() - at).toBeGreaterThanOrEqual(55);
    expect(fetchToken).toHaveBeenCalledTimes(3);
  });

  it('a token that worked and is then rejected has expired: it is replaced at once, however recent', async () => {
    server = await startFaultServer({ checkToken: true });
    // with a minute's interval, any wait would outlast the test
    const client = createImportClient({ baseUrl: server.url, ...credentials, minTokenIntervalMs: 60_000 });
    await client.importUserMessage(textMessage);
    server.revokeTokens();
    await expect(client.importUserMessage(textMessage)).resolves.toMatchObject({ attempts: 2 });
    server.revokeTokens();
    await expect(client.importUserMessage(textMessage)).resolves.toMatchObject({ attempts: 2 });
    expect(server.tokens).toHaveLength(3);
  });

  it('a call rejected with the newest token replays only once the interval has passed; with an older token, always', async () => {
    let now = 0;
    let n = 0;
    const source = cachedToken(async () => ({ access_token: `t${++n}`, expires_in: 0 }), () => now, 1000);
    expect(await source.get()).toBe('t1');
    source.invalidate('t1');
    expect(source.replayable('t1')).toBe(false); // issued 0 ms ago and rejected before it ever worked
    now = 1000;
    expect(source.replayable('t1')).toBe(true);
    expect(await source.get()).toBe('t2');
    expect(source.replayable('t1')).toBe(true); // t2 replaces it without a new request
    source.accepted('t2');
    source.invalidate('t2');
    expect(source.replayable('t2')).toBe(true); // it worked, so it expired: replace it at once
  });
});
