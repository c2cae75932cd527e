import { sleep } from './retry.js';

/** Anything that can pace calls; share one between clients to cap them together. */
export interface RateLimiter {
  /** Resolves when the caller may send one request. Rejects when `signal` aborts while waiting. */
  take(signal?: AbortSignal): Promise<void>;
}

export interface RateLimiterOptions {
  /** Requests per second. */
  rate: number;
  /** Requests allowed back to back after an idle period. Default 1: Easemob counts per one-second window, so a
   *  full-second burst on top of a steady rate would hit `429 reach_limit`. */
  burst?: number;
}

/** A token bucket (as GCRA: one "theoretical arrival time" instead of a timer per token). */
export function createRateLimiter({ rate, burst = 1 }: RateLimiterOptions): RateLimiter {
  if (!(rate > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1');
  const interval = 1000 / rate;
  let tat = 0;
  return {
    async take(signal) {
      const now = performance.now();
      tat = Math.max(tat, now) + interval;
      const wait = tat - now - burst * interval;
      if (wait > 0) await sleep(wait, signal);
      else if (signal?.aborted) throw signal.reason;
    },
  };
}
