import type { EasemobError } from './errors.js';

export interface RetryOptions {
  /** Attempts per call, the first included (a 401 token refresh does not count). Default 6. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. Default 200. */
  baseDelayMs?: number;
  /** Cap on one backoff delay. Default 5000. */
  maxDelayMs?: number;
  /** No retry starts once this much time has passed since the call began (or would pass while waiting). Default 30000. */
  maxElapsedMs?: number;
}

/** Passed to `onRetry` before each backoff wait. */
export interface RetryEvent {
  operation: string;
  /** The attempt that just failed, counting from 1. */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /** Why: check `error.kind`, and `status === 429` to count rate limiting. */
  error: EasemobError;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 5000, maxElapsedMs: 30_000 };

/** Full jitter (AWS architecture blog): spreads clients out instead of retrying in lockstep. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
  const jitter = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
  // The server knows best when it will accept again; never wait less than it asked.
  return retryAfterMs === undefined ? jitter : Math.max(retryAfterMs, jitter);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
