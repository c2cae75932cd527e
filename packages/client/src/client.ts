import openapiFetch, { type Client } from 'openapi-fetch';
import { authMiddleware, cachedToken, staticToken } from './auth.js';
import {
  EasemobApiError, EasemobConfigError, EasemobError, EasemobRedirectError, EasemobTransportError, classifyStatus, createRedactor,
  requestError, restate, scrub, type ErrorKind,
} from './errors.js';
import { RATE_LIMITS } from './generated/rate-limits.js';
import { checkBaseUrl, checkHeaders, checkText, checkToken, isBearerToken } from './options.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, sleep, type RetryEvent, type RetryOptions } from './retry.js';
import type { ErrorBody, GroupImportMessage, ImportMessage, paths } from './types.js';
import { defaultUserAgent } from './version.js';

const USER_PATH = '/{org_name}/{app_name}/messages/users/import';
const GROUP_PATH = '/{org_name}/{app_name}/messages/chatgroups/import';
const TOKEN_PATH = '/{org_name}/{app_name}/token';
/** Replays of one call after 401s, each with a newer token: a call that spans backoffs may outlive a few tokens. */
const MAX_TOKEN_REPLAYS = 3;
const INTERVAL_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

// openapi-fetch's CJS build sets `exports.default`, which Node-style interop in our CJS output hands over as a
// property of the module object; the ESM build gives the function itself.
const createClient = (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

export type ImportOperation = 'importUserMessage' | 'importGroupMessage';

interface BaseOptions {
  /** REST host of the app, e.g. `https://a1.easemob.com`. No user name or password in it. */
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
  /**
   * A `fetch` to use instead of `globalThis.fetch`. The client cannot know what it did with a request, so any
   * error it throws counts as possibly sent, except an `EasemobError`, which is taken as the attempt's outcome as
   * is: throw e.g. an `EasemobConfigError` (always `sent: false`) for a request it decided not to send.
   */
  fetch?: (request: Request) => Promise<Response>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** `User-Agent` of every request. Default `easemob-import-client/<version> (node <version>)`. */
  userAgent?: string;
}

/** A static app token, or client credentials exchanged for one through `getAppToken`. */
export type ImportClientOptions = BaseOptions &
  (
    | { token: string; clientId?: never; clientSecret?: never; tokenTtl?: never; minTokenIntervalMs?: never }
    | {
        clientId: string;
        clientSecret: string;
        /** Seconds, sent as `ttl`. */
        tokenTtl?: number;
        /**
         * After a token was rejected or a token request failed, the next token request starts at least this many
         * milliseconds after the previous one started. Default 1000.
         */
        minTokenIntervalMs?: number;
        token?: never;
      }
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
  importGroupMessage(message: GroupImportMessage, options?: CallOptions): Promise<ImportOutcome>;
  /** The underlying openapi-fetch client: adds the bearer token, but neither retries, throws nor follows redirects. */
  readonly raw: Client<paths>;
}

type Fetch = (request: Request) => Promise<Response>;

/** Throws `EasemobConfigError` (naming the option, never echoing it) when an option cannot work. */
function checkOptions(options: ImportClientOptions): void {
  const operation = 'createImportClient';
  checkBaseUrl(options.baseUrl, operation);
  checkText(options.orgName, operation, 'orgName');
  checkText(options.appName, operation, 'appName');
  const hasCredentials = options.clientId !== undefined || options.clientSecret !== undefined;
  if ((options.token !== undefined) === hasCredentials) {
    throw new EasemobConfigError({ message: 'pass either token, or both clientId and clientSecret', operation, field: 'token' });
  }
  if (hasCredentials) {
    checkText(options.clientId, operation, 'clientId');
    checkText(options.clientSecret, operation, 'clientSecret');
  } else checkToken(options.token, operation);
  checkHeaders({ ...options.headers, ...(options.userAgent !== undefined && { 'User-Agent': options.userAgent }) }, operation);
}

export function createImportClient(options: ImportClientOptions): ImportClient {
  checkOptions(options);
  const { baseUrl, orgName, appName, timeoutMs = 10_000 } = options;
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const path = { org_name: orgName, app_name: appName };
  const baseFetch: Fetch = options.fetch ?? ((request) => globalThis.fetch(request));
  const headers = { 'User-Agent': options.userAgent ?? defaultUserAgent(), ...options.headers };
  // Redirects are never followed: a 307 would re-POST the message elsewhere, a 302 turn it into a GET.
  const raw = createClient<paths>({ baseUrl, headers, redirect: 'manual', fetch: baseFetch });

  // Secrets live only in these closures; every error text and cause is scrubbed of them.
  const configured = [options.token, options.clientSecret, ...Object.entries(options.headers ?? {}).filter(([k]) => /^authorization$/i.test(k)).map(([, v]) => v)];
  const issued: string[] = [];
  const redact = createRedactor(() => [...configured, ...issued].filter((s): s is string => Boolean(s)));

  const apiError = (operation: string, response: Response, body: unknown, adjust = (kind: ErrorKind) => kind) => {
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      return new EasemobRedirectError({ status: response.status, locationOrigin: originOf(response), operation, sent: operation !== 'getAppToken' });
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
    const text = typeof body === 'string' && body ? body.slice(0, 200) : undefined;
    const error = typeof b.error === 'string' ? redact(b.error) : undefined;
    const description = typeof b.error_description === 'string' ? b.error_description : text;
    return new EasemobApiError({
      operation,
      kind: adjust(classifyStatus(response.status, error)),
      sent: operation !== 'getAppToken',
      status: response.status,
      error,
      errorDescription: description === undefined ? undefined : redact(description),
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
        let left = false;
        let result;
        try {
          const fetch: Fetch = (request) => ((left = true), baseFetch(request));
          result = await raw.POST(TOKEN_PATH, { params: { path }, body, signal: AbortSignal.timeout(timeoutMs), fetch });
        } catch (e) {
          const err = e instanceof EasemobError ? e : requestError(e, operation, redact, left);
          throw restate(err, notSent(err.kind), false);
        }
        const { data, error, response } = result;
        if (!response.ok || !data) throw apiError(operation, response, error, notSent);
        const token: unknown = data.access_token;
        if (!isBearerToken(token)) {
          // Retrying would get the same reply; sending `Bearer undefined` would only collect 401s.
          const errorDescription = 'the token reply has no access_token that is one line of printable text';
          throw new EasemobApiError({ status: response.status, error: 'invalid_response', errorDescription, kind: 'fatal', sent: false, operation });
        }
        issued.unshift(token);
        issued.length = Math.min(issued.length, 4); // the latest tokens: older ones no longer appear in replies
        return data;
      }, Date.now, options.minTokenIntervalMs);
  raw.use(authMiddleware(tokens, TOKEN_PATH));

  const limiters = rateLimiters(options.rateLimit);

  async function send(operation: ImportOperation, url: typeof USER_PATH | typeof GROUP_PATH, message: ImportMessage | GroupImportMessage, call: CallOptions = {}): Promise<ImportOutcome> {
    checkHeaders(call.headers, operation);
    const { signal } = call;
    const onRetry = call.onRetry ?? options.onRetry;
    const retryUncertain = call.retryUncertain ?? options.retryUncertain ?? false;
    const started = Date.now();
    let attempts = 0;
    let failures = 0;
    let rejectedWith: string | undefined; // the token of the call's last 401 that it replayed after
    let replays = 0;
    let mayHaveLanded = false; // an earlier attempt was uncertain: no later failure can prove it was not stored
    let sent = false; // a request of this call left the process
    const asCall = (err: EasemobError) => restate(err, mayHaveLanded && err.kind === 'retryable' ? 'uncertain' : err.kind, sent || err.sent);
    const aborted = (reason: unknown, inFlight = false) => {
      const message = inFlight ? 'aborted by the caller while the request was in flight' : 'aborted by the caller';
      const kind = inFlight ? 'uncertain' : 'retryable';
      return asCall(new EasemobTransportError({ code: 'ABORTED', message, kind, operation, sent: inFlight, cause: scrub(reason, redact) }));
    };

    const attemptOnce = () => {
      const ms = call.timeoutMs ?? timeoutMs;
      const attempt = attemptSignal(ms, signal);
      let left = false;
      const fetch: Fetch = (request) => {
        // Checked here, after the token middleware, so nothing leaves once the call was aborted.
        if (request.signal.aborted) return Promise.reject(request.signal.reason);
        left = true;
        return baseFetch(request);
      };
      return raw
        .POST(url, { params: { path }, body: message, signal: attempt.signal, fetch, ...(call.headers && { headers: call.headers }) })
        .catch((e: unknown): EasemobError => {
          if (e instanceof EasemobError) return e; // from the token middleware, or the `fetch` option's own verdict
          if (signal?.aborted) throw aborted(signal.reason, left);
          if (attempt.timedOut()) {
            const message = left ? `no reply within ${ms} ms` : `not sent within ${ms} ms`;
            return new EasemobTransportError({ code: 'TIMEOUT', message, kind: left ? 'uncertain' : 'retryable', operation, sent: left, cause: scrub(e, redact) });
          }
          return requestError(e, operation, redact, left);
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
      // Fetch the token before an attempt's timer starts: a slow token request is no reason to call a send uncertain.
      let tokenError: EasemobError | undefined;
      let token: string | undefined;
      try {
        token = await untilAborted(tokens.get(), signal);
      } catch (e) {
        if (!(e instanceof EasemobError)) throw aborted(e); // aborted while the token request was pending
        tokenError = e;
      }
      if (signal?.aborted) throw aborted(signal.reason);
      const reply = tokenError ?? (await attemptOnce());
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
        // The middleware dropped the rejected token; replay with a fresh one. A call that spans backoffs can outlive
        // more than one token, so each expired token allows one replay (a few at most).
        if (response.status === 401 && token !== rejectedWith && replays < MAX_TOKEN_REPLAYS && tokens.replayable(token!, replays > 0)) {
          sent = true;
          rejectedWith = token;
          replays++;
          continue;
        }
        err = apiError(operation, response, error);
      }
      sent ||= err.sent;
      err = asCall(err);
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

/** The scheme, host and port a redirect points to; never its path or query, which may hold secrets. */
function originOf(response: Response): string | undefined {
  const location = response.headers.get('location');
  if (!location) return undefined;
  try {
    const origin = new URL(location, response.url || undefined).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Waits for `value`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(value: T | Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal || !(value instanceof Promise)) return Promise.resolve(value);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    value.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
