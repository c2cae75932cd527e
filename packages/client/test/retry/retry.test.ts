import { afterEach, describe, expect, it, vi } from 'vitest';
import { EasemobApiError, EasemobTransportError, createImportClient, type RetryEvent } from '../../src/index.js';
import { refusedUrl, startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

const reachLimit = { status: 429, body: { error: 'reach_limit', error_description: 'This request has reached api limit' } };
const fast = { baseDelayMs: 5, maxDelayMs: 20 };
const clientFor = (baseUrl: string, extra: Partial<Parameters<typeof createImportClient>[0]> = {}) =>
  createImportClient({ baseUrl, orgName: 'org', appName: 'app', token: 'tok', retry: fast, ...extra } as Parameters<typeof createImportClient>[0]);

describe('retryable failures are retried', () => {
  it('rides out a storm of 429 reach_limit and reports each retry', async () => {
    server = await startFaultServer();
    server.script(reachLimit, reachLimit, reachLimit, reachLimit, reachLimit);
    const events: RetryEvent[] = [];
    const outcome = await clientFor(server.url).importUserMessage(textMessage, { onRetry: (e) => events.push(e) });
    expect(outcome.attempts).toBe(6);
    expect(server.imports).toHaveLength(6);
    expect(events.map((e) => [e.attempt, (e.error as EasemobApiError).status, e.error.kind])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, 429, 'retryable']),
    );
    // every retry resends the same message
    expect(new Set(server.imports.map((r) => JSON.stringify(r.body)))).toEqual(new Set([JSON.stringify(textMessage)]));
  });

  it('stops after maxAttempts and throws the last retryable error', async () => {
    server = await startFaultServer();
    server.script(...Array(10).fill({ status: 503, body: { error: 'service_unavailable' } }));
    const err = await clientFor(server.url, { retry: { ...fast, maxAttempts: 3 } }).importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobApiError);
    expect(err).toMatchObject({ status: 503, kind: 'retryable' });
    expect(server.imports).toHaveLength(3);
  });

  it('retries 503 then succeeds', async () => {
    server = await startFaultServer();
    server.script({ status: 503, body: { error: 'service_unavailable' } });
    const outcome = await clientFor(server.url).importGroupMessage({ ...textMessage, target: '1123376564212' });
    expect(outcome).toEqual({ msgId: expect.stringMatching(/^\d{17}$/), attempts: 2 });
  });

  it('retries a refused connection (nothing was sent) and then gives up as retryable', async () => {
    const onRetry = vi.fn();
    const err = await clientFor(await refusedUrl(), { retry: { ...fast, maxAttempts: 3 }, onRetry }).importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', kind: 'retryable' });
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('waits with exponential backoff and full jitter, capped', async () => {
    server = await startFaultServer();
    server.script(reachLimit, reachLimit, reachLimit, reachLimit);
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const events: RetryEvent[] = [];
    await clientFor(server.url, { retry: { baseDelayMs: 10, maxDelayMs: 50 }, onRetry: (e) => events.push(e) }).importUserMessage(textMessage);
    random.mockRestore();
    expect(events.map((e) => e.delayMs)).toEqual([9, 19, 39, 49]);
  });
});

describe('Retry-After', () => {
  it('is honoured: the retry waits at least as long as the server asked', async () => {
    server = await startFaultServer();
    server.script({ ...reachLimit, headers: { 'retry-after': '1' } });
    const events: RetryEvent[] = [];
    await clientFor(server.url, { onRetry: (e) => events.push(e) }).importUserMessage(textMessage);
    expect(events[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(server.imports[1]!.at - server.imports[0]!.at).toBeGreaterThanOrEqual(990);
    expect((events[0]!.error as EasemobApiError).retryAfterMs).toBe(1000);
  });

  it('ends the call at once when the wait would exceed maxElapsedMs', async () => {
    server = await startFaultServer();
    server.script({ ...reachLimit, headers: { 'retry-after': '120' } });
    const started = Date.now();
    const err = await clientFor(server.url, { retry: { ...fast, maxElapsedMs: 5000 } }).importUserMessage(textMessage).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5000); // not the 120 s asked for
    expect(err).toMatchObject({ status: 429, kind: 'retryable', retryAfterMs: 120_000 });
    expect(server.imports).toHaveLength(1);
  });
});

describe('uncertain failures are not retried by default', () => {
  it.each([500, 502, 504])('HTTP %i', async (status) => {
    server = await startFaultServer();
    server.script({ status, body: { error: 'server_error' } });
    const onRetry = vi.fn();
    const err = await clientFor(server.url, { onRetry }).importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status, kind: 'uncertain' });
    expect(server.imports).toHaveLength(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('a connection reset after the request was sent', async () => {
    server = await startFaultServer();
    server.script('reset');
    const err = await clientFor(server.url).importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err.kind).toBe('uncertain');
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(err.code);
    expect(server.imports).toHaveLength(1);
  });

  it('a timeout', async () => {
    server = await startFaultServer();
    server.script('hang');
    const started = Date.now();
    const err = await clientFor(server.url, { timeoutMs: 200 }).importUserMessage(textMessage).catch((e) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toMatchObject({ code: 'TIMEOUT', kind: 'uncertain' });
    expect(server.imports).toHaveLength(1);
  });

  it('unless the caller opts in with retryUncertain', async () => {
    server = await startFaultServer();
    server.script({ status: 500, body: { error: 'server_error' } }, 'reset', 'hang');
    const outcome = await clientFor(server.url, { timeoutMs: 200 }).importUserMessage(textMessage, { retryUncertain: true });
    expect(outcome.attempts).toBe(4);
  });

  it('and once an attempt was uncertain, a later retryable failure is reported as uncertain', async () => {
    server = await startFaultServer();
    server.script({ status: 502, body: { error: 'bad_gateway' } }, reachLimit);
    const err = await clientFor(server.url, { retryUncertain: true, retry: { ...fast, maxAttempts: 2 } }).importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status: 429, error: 'reach_limit', kind: 'uncertain' });
  });
});

describe('fatal failures are never retried', () => {
  it.each([
    [400, 'illegal_argument'],
    [403, 'forbidden_op'],
    [404, 'service_resource_not_found'],
    [413, 'Request Entity Too Large'],
    [415, 'web_application'],
    [429, 'resource_limited'],
  ])('HTTP %i %s', async (status, error) => {
    server = await startFaultServer();
    server.script({ status, body: { error, error_description: 'x' } });
    const err = await clientFor(server.url).importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status, error, kind: 'fatal' });
    expect(server.imports).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('an AbortSignal cancels the backoff wait; nothing was in flight, so it is retryable', async () => {
    server = await startFaultServer();
    server.script({ ...reachLimit, headers: { 'retry-after': '10' } });
    const controller = new AbortController();
    const started = Date.now();
    const call = clientFor(server.url).importUserMessage(textMessage, {
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(), 20),
    });
    const err = await call.catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5000); // not the 10 s asked for
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'retryable' });
    expect(server.imports).toHaveLength(1);
  });

  it('aborting a request in flight is uncertain', async () => {
    server = await startFaultServer();
    server.script('hang');
    const err = await clientFor(server.url).importUserMessage(textMessage, { signal: AbortSignal.timeout(100) }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'uncertain' });
  });

  it('an already aborted signal sends nothing', async () => {
    server = await startFaultServer();
    const err = await clientFor(server.url).importUserMessage(textMessage, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'retryable' });
    expect(server.imports).toHaveLength(0);
  });

  it('bounds the whole call by maxElapsedMs', async () => {
    server = await startFaultServer();
    server.script(...Array(50).fill(reachLimit));
    const started = Date.now();
    const err = await clientFor(server.url, { retry: { baseDelayMs: 100, maxDelayMs: 100, maxAttempts: 50, maxElapsedMs: 300 } })
      .importUserMessage(textMessage)
      .catch((e) => e);
    // 50 attempts would take seconds; the budget ends it after about 300 ms plus one request's latency
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toMatchObject({ status: 429, kind: 'retryable' });
    expect(server.imports.length).toBeLessThan(50);
  });
});
