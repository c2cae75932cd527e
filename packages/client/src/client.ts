import openapiFetch, { type Client } from 'openapi-fetch';
import { authMiddleware, cachedToken, staticToken } from './auth.js';
import { EasemobApiError, EasemobError, EasemobTransportError, classifyStatus, transportError, type ErrorKind } from './errors.js';
import { RATE_LIMITS } from './generated/rate-limits.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, sleep, type RetryEvent, type RetryOptions } from './retry.js';
import type { ErrorBody, ImportMessage, paths } from './types.js';

const USER_PATH = '/{org_name}/{app_name}/messages/users/import';
const GROUP_PATH = '/{org_name}/{app_name}/messages/chatgroups/import';
const TOKEN_PATH = '/{org_name}/{app_name}/token';
const INTERVAL_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

// openapi-fetch's CJS build sets `exports.default`, which Node-style interop in our CJS output hands over as a
// property of the module object; the ESM build gives the function itself.
const createClient = (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

export type ImportOperation = 'importUserMessage' | 'importGroupMessage';

interface BaseOptions {
  /** REST host of the app, e.g. `https://a1.easemob.com`. */
  baseUrl: string;
  orgName: string;
  appName: string;
  /** Per-attempt timeout in milliseconds. Default 10000. A timeout is `uncertain`: the server may have the message. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Also retry `uncertain` failures (500, 502, 504, timeouts, resets). Off by default: it risks duplicates. */
  retryUncertain?: boolean;
  /**
   * Client-side pacing, applied to every attempt of the import calls. `true`: each import operation at the rate
   * the spec declares (`x-rate-limit`); a number: that many requests per second across both; or your own limiter.
   * Off by default.
   */
  rateLimit?: boolean | number | RateLimiter;
  /** Called before each backoff wait. */
  onRetry?: (event: RetryEvent) => void;
  /** A `fetch` to use instead of `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

/** A static app token, or client credentials exchanged for one through `getAppToken`. */
export type ImportClientOptions = BaseOptions &
  (
    | { token: string; clientId?: never; clientSecret?: never; tokenTtl?: never }
    | { clientId: string; clientSecret: string; /** Seconds, sent as `ttl`. */ tokenTtl?: number; token?: never }
  );

export interface CallOptions {
  /** Cancels the call, including backoff and rate-limit waits. */
  signal?: AbortSignal;
  timeoutMs?: number;
  retryUncertain?: boolean;
  onRetry?: (event: RetryEvent) => void;
  headers?: Record<string, string>;
}

export interface ImportOutcome {
  /** Easemob's id of the stored message (a decimal string beyond 2^53). */
  msgId: string;
  /** HTTP requests this call sent, retries and a token-refresh replay included. */
  attempts: number;
}

export interface ImportClient {
  /** Imports one one-to-one message (`POST /{org_name}/{app_name}/messages/users/import`). */
  importUserMessage(message: ImportMessage, options?: CallOptions): Promise<ImportOutcome>;
  /** Imports one group message; `target` is the group id (`POST .../messages/chatgroups/import`). */
  importGroupMessage(message: ImportMessage, options?: CallOptions): Promise<ImportOutcome>;
  /** The underlying openapi-fetch client: adds the bearer token, but neither retries nor throws. */
  readonly raw: Client<paths>;
}

export function createImportClient(options: ImportClientOptions): ImportClient {
  const { baseUrl, orgName, appName, timeoutMs = 10_000, headers } = options;
  if (!baseUrl || !orgName || !appName) throw new TypeError('createImportClient: baseUrl, orgName and appName are required');
  const hasCredentials = Boolean(options.clientId && options.clientSecret);
  if (!options.token === !hasCredentials) {
    throw new TypeError('createImportClient: pass either `token` or both `clientId` and `clientSecret`');
  }
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const path = { org_name: orgName, app_name: appName };
  const raw = createClient<paths>({ baseUrl, headers, ...(options.fetch && { fetch: options.fetch }) });

  // Secrets live only in these closures; anything built from a server reply is scrubbed of them.
  const secrets = [options.token, options.clientSecret].filter((s): s is string => Boolean(s));
  const redact = (s: string | undefined) => secrets.reduce((out, secret) => out?.split(secret).join('[redacted]'), s);

  const apiError = (operation: string, response: Response, body: unknown, adjust = (kind: ErrorKind) => kind) => {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
    const text = typeof body === 'string' && body ? body.slice(0, 200) : undefined;
    const error = redact(typeof b.error === 'string' ? b.error : undefined);
    return new EasemobApiError({
      operation,
      kind: adjust(classifyStatus(response.status, error)),
      status: response.status,
      error,
      errorDescription: redact(typeof b.error_description === 'string' ? b.error_description : text),
      errorCode: typeof b.error_code === 'number' ? b.error_code : undefined,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  };

  const tokens = options.token
    ? staticToken(options.token)
    : cachedToken(async () => {
        const operation = 'getAppToken';
        const body = { grant_type: 'client_credentials' as const, client_id: options.clientId!, client_secret: options.clientSecret!, ttl: options.tokenTtl };
        // No message has been sent while the token is fetched, so a failure here is never `uncertain`.
        const notSent = (kind: ErrorKind): ErrorKind => (kind === 'fatal' ? kind : 'retryable');
        let result;
        try {
          result = await raw.POST(TOKEN_PATH, { params: { path }, body, signal: AbortSignal.timeout(timeoutMs) });
        } catch (e) {
          throw transportError(e, operation, notSent);
        }
        const { data, error, response } = result;
        if (!response.ok || !data) throw apiError(operation, response, error, notSent);
        secrets.push(data.access_token);
        if (secrets.length > 6) secrets.splice(2, 1); // keep the configured secrets and the latest tokens
        return data;
      });
  raw.use(authMiddleware(tokens, TOKEN_PATH));

  const limiters = rateLimiters(options.rateLimit);

  async function send(operation: ImportOperation, url: typeof USER_PATH | typeof GROUP_PATH, message: ImportMessage, call: CallOptions = {}): Promise<ImportOutcome> {
    const { signal } = call;
    const onRetry = call.onRetry ?? options.onRetry;
    const retryUncertain = call.retryUncertain ?? options.retryUncertain ?? false;
    const started = Date.now();
    let attempts = 0;
    let failures = 0;
    let refreshed = false;
    let mayHaveLanded = false; // an earlier attempt was uncertain: no later failure can prove it was not stored
    const floor = (kind: ErrorKind): ErrorKind => (mayHaveLanded && kind === 'retryable' ? 'uncertain' : kind);
    const aborted = (e: unknown) =>
      new EasemobTransportError({ code: 'ABORTED', message: 'aborted by the caller', kind: floor('retryable'), operation, cause: e });

    // Fetch the token before an attempt's timer starts: a slow token request is no reason to call a send uncertain.
    const tokenFailure = () => Promise.resolve(tokens.get()).then(() => undefined, (e: EasemobError) => e);
    const attemptOnce = () => {
      const ms = call.timeoutMs ?? timeoutMs;
      const attempt = attemptSignal(ms, signal);
      return raw
        .POST(url, { params: { path }, body: message, signal: attempt.signal, ...(call.headers && { headers: call.headers }) })
        .catch((e: unknown): EasemobError => {
          if (e instanceof EasemobError) return e; // a token request made by the middleware failed
          if (attempt.timedOut()) {
            return new EasemobTransportError({ code: 'TIMEOUT', message: `no reply within ${ms} ms`, kind: 'uncertain', operation, cause: e });
          }
          if (signal?.aborted) {
            const message = 'aborted by the caller while the request was in flight';
            throw new EasemobTransportError({ code: 'ABORTED', message, kind: 'uncertain', operation, cause: e });
          }
          return transportError(e, operation, floor);
        })
        .finally(attempt.done);
    };

    for (;;) {
      if (signal?.aborted) throw aborted(signal.reason);
      try {
        await limiters?.[operation].take(signal);
      } catch (e) {
        throw aborted(e);
      }
      const reply = (await tokenFailure()) ?? (await attemptOnce());
      let err: EasemobError;
      if (reply instanceof EasemobError) {
        err = reply;
        if (err.operation === operation) attempts++; // a failed token request sent no message
      } else {
        attempts++;
        const { data, error, response } = reply;
        if (response.ok) {
          const msgId = data?.data?.msg_id;
          if (typeof msgId === 'string') return { msgId, attempts };
          // Most likely stored, but without an id; retrying would surely duplicate it.
          const errorDescription = 'the reply has no string data.msg_id';
          throw new EasemobApiError({ status: response.status, error: 'invalid_response', errorDescription, kind: 'uncertain', operation });
        }
        if (response.status === 401 && tokens.refreshable && !refreshed) {
          refreshed = true; // the middleware dropped the rejected token; replay once with a fresh one
          continue;
        }
        err = apiError(operation, response, error, floor);
      }
      if (err.kind === 'uncertain') mayHaveLanded = true;
      failures++;
      const again = err.kind === 'retryable' || (err.kind === 'uncertain' && retryUncertain);
      if (!again || failures >= policy.maxAttempts) throw err;
      const delayMs = backoffDelay(policy, failures, err instanceof EasemobApiError ? err.retryAfterMs : undefined);
      if (Date.now() - started + delayMs > policy.maxElapsedMs) throw err;
      onRetry?.({ operation, attempt: failures, delayMs, error: err });
      try {
        await sleep(delayMs, signal);
      } catch (e) {
        throw aborted(e);
      }
    }
  }

  return {
    importUserMessage: (message, call) => send('importUserMessage', USER_PATH, message, call),
    importGroupMessage: (message, call) => send('importGroupMessage', GROUP_PATH, message, call),
    raw,
    toString: () => `[ImportClient ${orgName}#${appName}]`,
  } as ImportClient;
}

function rateLimiters(setting: BaseOptions['rateLimit']): Record<ImportOperation, RateLimiter> | undefined {
  if (!setting) return undefined;
  if (setting === true) {
    const from = ({ limit, interval }: { limit: number; interval: string }) =>
      createRateLimiter({ rate: (limit * 1000) / (INTERVAL_MS[interval] ?? 1000) });
    return { importUserMessage: from(RATE_LIMITS.importUserMessage), importGroupMessage: from(RATE_LIMITS.importGroupMessage) };
  }
  const shared = typeof setting === 'number' ? createRateLimiter({ rate: setting }) : setting;
  return { importUserMessage: shared, importGroupMessage: shared };
}

/** One attempt's signal: the caller's signal plus a timeout we can tell apart from it. */
function attemptSignal(timeoutMs: number, outer?: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, timeoutMs);
  const onAbort = () => controller.abort(outer!.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
