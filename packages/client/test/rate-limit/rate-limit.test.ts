import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RATE_LIMITS, createImportClient, createRateLimiter, type RateLimiter } from '../../src/index.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

describe('createRateLimiter', () => {
  it('spaces takes 1/rate apart after the burst', async () => {
    const limiter = createRateLimiter({ rate: 50 });
    const started = performance.now();
    for (let i = 0; i < 11; i++) await limiter.take();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(195); // 10 intervals of 20 ms
    expect(elapsed).toBeLessThan(2000);
  });

  it('lets `burst` requests through at once', async () => {
    const limiter = createRateLimiter({ rate: 1, burst: 5 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => limiter.take()));
    expect(performance.now() - started).toBeLessThan(2000); // one token per second without the burst
  });

  it('rejects a waiting take when its signal aborts', async () => {
    const limiter = createRateLimiter({ rate: 0.1 });
    await limiter.take();
    await expect(limiter.take(AbortSignal.timeout(20))).rejects.toThrow();
  });

  it('refuses a non-positive rate', () => {
    expect(() => createRateLimiter({ rate: 0 })).toThrow(RangeError);
  });
});

describe('rate limits from the spec', () => {
  it('RATE_LIMITS is what the bundle declares in x-rate-limit', () => {
    const bundle = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@easemob-import/spec/openapi.json'), 'utf8'));
    const declared = Object.values(bundle.paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item))
      .filter((op) => op?.['x-rate-limit'])
      .map((op) => [op.operationId, op['x-rate-limit'].limit, op['x-rate-limit'].interval]);
    expect(Object.entries(RATE_LIMITS).map(([id, l]) => [id, l.limit, l.interval]).sort()).toEqual(declared.sort());
  });

  it('rateLimit: true paces each import operation at its declared rate', async () => {
    server = await startFaultServer();
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 't', rateLimit: true });
    await client.importUserMessage(textMessage); // opens the connection, so arrival times below are pacing only
    const n = 21;
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, () => client.importUserMessage(textMessage)));
    const interval = 1000 / RATE_LIMITS.importUserMessage.limit;
    expect(performance.now() - started).toBeGreaterThanOrEqual((n - 1) * interval - 5);
    const span = server.imports.at(-1)!.at - server.imports[1]!.at;
    expect(span).toBeGreaterThanOrEqual((n - 1) * interval - 15);
  });

  it('a number caps both import operations together', async () => {
    server = await startFaultServer();
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 't', rateLimit: 40 });
    const started = performance.now();
    await Promise.all([
      ...Array.from({ length: 5 }, () => client.importUserMessage(textMessage)),
      ...Array.from({ length: 5 }, () => client.importGroupMessage({ ...textMessage, target: '1' })),
    ]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(9 * 25 - 5);
  });

  it('a custom limiter is asked before every attempt, retries included', async () => {
    server = await startFaultServer();
    server.script({ status: 429, body: { error: 'reach_limit' } });
    const limiter: RateLimiter = { take: vi.fn(async () => {}) };
    const client = createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 't', rateLimit: limiter, retry: { baseDelayMs: 1 } });
    await client.importUserMessage(textMessage);
    expect(limiter.take).toHaveBeenCalledTimes(2);
  });

  it('off by default: nothing holds calls back (on: one call per interval)', async () => {
    // Fake clocks make this exact: with pacing, time must advance before the next request can leave.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    try {
      const sent = { off: 0, on: 0 };
      const make = (key: keyof typeof sent, rateLimit?: boolean) =>
        createImportClient({
          baseUrl: 'http://127.0.0.1:8', orgName: 'org', appName: 'app', token: 't', rateLimit,
          fetch: async () => {
            sent[key]++;
            return Response.json({ data: { msg_id: '1' } });
          },
        });
      const off = make('off');
      const on = make('on', true);
      const calls = Array.from({ length: 50 }, () => [off.importUserMessage(textMessage), on.importUserMessage(textMessage)]).flat();
      const settle = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };
      await settle();
      expect(sent).toEqual({ off: 50, on: 1 });
      await vi.advanceTimersByTimeAsync(1000 / RATE_LIMITS.importUserMessage.limit);
      await settle();
      expect(sent).toEqual({ off: 50, on: 2 });
      await vi.advanceTimersByTimeAsync(1000);
      await Promise.all(calls);
      expect(sent).toEqual({ off: 50, on: 50 });
    } finally {
      vi.useRealTimers();
    }
  });
});
