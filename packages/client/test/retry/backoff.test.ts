import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, sleep } from '../../src/retry.js';

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  it('draws from [0, min(max, base * 2^(n-1))) (full jitter)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, undefined, () => 0.5))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(0);
  });
  it('never waits less than Retry-After', () => {
    expect(backoffDelay(policy, 1, 2000, () => 0.5)).toBe(2000);
    expect(backoffDelay(policy, 5, 10, () => 0.5)).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
  ])('%j -> %j ms', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });
  it('is undefined without a header', () => expect(parseRetryAfter(null)).toBeUndefined());
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal);
    c.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
});
