/**
 * What a failure means for the message that was being imported:
 * - `retryable`: it was certainly not stored; sending it again is safe.
 * - `fatal`: retrying cannot help; fix the input, credentials or plan first.
 * - `uncertain`: it may have been stored; sending it again may create a duplicate.
 */
export type ErrorKind = 'retryable' | 'fatal' | 'uncertain';

interface ErrorState {
  kind: ErrorKind;
  operation: string;
  sent: boolean;
  cause?: unknown;
}

/** Base class of every error the client throws. Carries no token, secret or request headers. */
export class EasemobError extends Error {
  /** Whether the message may have been stored; see {@link ErrorKind}. */
  readonly kind: ErrorKind;
  /** The operation that failed, e.g. `importUserMessage` or `getAppToken`. */
  readonly operation: string;
  /**
   * Whether a request of this call carrying the message may have left the process. `false`: none did (the
   * request could not be built, the connection was refused, the token request failed, or the call was aborted
   * before sending), so the message was certainly not stored and was never seen by any server.
   */
  readonly sent: boolean;
  constructor(message: string, state: ErrorState) {
    super(message, state.cause === undefined ? undefined : { cause: state.cause });
    this.name = new.target.name;
    this.kind = state.kind;
    this.operation = state.operation;
    this.sent = state.sent;
  }
}

/** Easemob answered with a non-2xx status. */
export class EasemobApiError extends EasemobError {
  readonly status: number;
  /** Easemob's machine-readable error name (`reach_limit`, `illegal_argument` ...), when the body had one. */
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly errorCode: number | undefined;
  /** `Retry-After` in milliseconds, when the response had one. */
  readonly retryAfterMs: number | undefined;
  constructor(init: {
    status: number;
    error?: string | undefined;
    errorDescription?: string | undefined;
    errorCode?: number | undefined;
    retryAfterMs?: number | undefined;
    kind?: ErrorKind;
    operation: string;
    /** Default `true`: an HTTP answer means the request reached a server. */
    sent?: boolean;
  }) {
    const kind = init.kind ?? classifyStatus(init.status, init.error);
    const what = [init.error, init.errorDescription].filter(Boolean).join(': ');
    const message = `${init.operation} failed with HTTP ${init.status}${what ? ` (${what})` : ''} [${kind}]`;
    super(message, { kind, operation: init.operation, sent: init.sent ?? true });
    this.status = init.status;
    this.error = init.error;
    this.errorDescription = init.errorDescription;
    this.errorCode = init.errorCode;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * The server answered with a redirect (3xx). Redirects are never followed: a re-POST could store the message on
 * another host, and a 302 would turn it into a body-less GET whose 200 means nothing. The message was not stored;
 * `baseUrl` (or a proxy in front of it) is misconfigured. Always `fatal`, never retried.
 */
export class EasemobRedirectError extends EasemobApiError {
  /** Where the redirect pointed: scheme, host and port only (no path, query or credentials), if it said. */
  readonly locationOrigin: string | undefined;
  constructor(init: { status: number; locationOrigin?: string | undefined; operation: string; sent?: boolean }) {
    const to = init.locationOrigin ? `to ${init.locationOrigin}` : 'without a usable Location';
    super({
      status: init.status,
      error: 'redirect',
      errorDescription: `redirected ${to}; redirects are not followed and the message was not stored: set baseUrl to the address that answers directly`,
      kind: 'fatal',
      operation: init.operation,
      sent: init.sent ?? true,
    });
    this.locationOrigin = init.locationOrigin;
  }
}

/** The request failed below HTTP: connection refused or reset, DNS, timeout, abort. */
export class EasemobTransportError extends EasemobError {
  /** `ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`, `ABORTED` ... or `UNKNOWN`. */
  readonly code: string;
  constructor(init: { code: string; message: string; kind: ErrorKind; operation: string; sent?: boolean; cause?: unknown }) {
    super(`${init.operation} failed: ${init.message} [${init.kind}]`, {
      kind: init.kind,
      operation: init.operation,
      sent: init.sent ?? true,
      cause: init.cause,
    });
    this.code = init.code;
  }
}

/**
 * The options or the request are unusable, so nothing was sent: a `baseUrl` with a user name and password or a
 * port fetch refuses, a token that is not valid header text, a bad header. Thrown by `createImportClient` and by
 * a call whose request could not be built. Always `fatal` with `sent: false`. The message names the option,
 * never its value.
 */
export class EasemobConfigError extends EasemobError {
  /** The option at fault (`baseUrl`, `token`, `headers` ...), when known. */
  readonly field: string | undefined;
  constructor(init: { message: string; operation: string; field?: string | undefined; cause?: unknown }) {
    super(`${init.operation}: ${init.message}; nothing was sent [fatal]`, { kind: 'fatal', operation: init.operation, sent: false, cause: init.cause });
    this.field = init.field;
  }
}

/** Maps an HTTP status (and Easemob's `error` name) to what it means for the message. */
export function classifyStatus(status: number, error?: string): ErrorKind {
  if (status === 429) return error === 'resource_limited' ? 'fatal' : 'retryable'; // reach_limit: not processed
  if (status === 503) return 'retryable';
  if (status >= 500) return 'uncertain'; // 500, 502, 504: the server may have stored it before failing
  return 'fatal';
}

/**
 * The same error as one call sees it: once an attempt may have stored the message, a later `retryable` failure is
 * `uncertain`; once a request left, the call was `sent`. Copies rather than changes, because a failed token
 * request's error is shared by every call that waited for it.
 */
export function restate<E extends EasemobError>(err: E, kind: ErrorKind, sent: boolean): E {
  if (err.kind === kind && err.sent === sent) return err;
  const copy = Object.create(Object.getPrototypeOf(err), Object.getOwnPropertyDescriptors(err)) as E;
  const message = err.message.replace(`[${err.kind}]`, `[${kind}]`);
  return Object.assign(copy, { kind, sent, message, stack: err.stack?.replace(err.message, message) });
}

/** Replaces each secret, and anything shaped like a credential, with `[redacted]`. */
export type Redact = (text: string) => string;

export function createRedactor(secrets: () => readonly string[]): Redact {
  return (text) =>
    secrets()
      .reduce((out, secret) => (secret ? out.split(secret).join('[redacted]') : out), text)
      .replace(/\/\/[^/@\s]*:[^/@\s]*@/g, '//[redacted]@') // user:password@ in a URL
      .replace(/\bBearer\s+(?!\[redacted\])\S+/gi, 'Bearer [redacted]');
}

/**
 * A copy of a thrown value safe to attach as `cause`: each Error in its chain keeps its name, code and redacted
 * message and stack, and nothing else (fetch errors can hold the request, and header errors echo the value).
 */
export function scrub(value: unknown, redact: Redact, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (!(value instanceof Error)) return value; // e.g. the caller's own abort reason
  const inner = depth < 4 && value.cause !== undefined ? scrub(value.cause, redact, depth + 1) : undefined;
  const copy = new Error(redact(value.message), inner === undefined ? undefined : { cause: inner });
  copy.name = value.name;
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = value.stack && redact(value.stack);
  return copy;
}

// Errors raised while connecting: the request never left, so nothing can have been stored.
const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
]);
// What fetch (undici) says when it refuses a request before connecting.
const REFUSED_BY_FETCH = /^(bad port|unknown scheme)$/;

/** The errors in a fetch failure's `cause` chain (undici nests them), outermost first. */
function causes(e: unknown): { code?: unknown; message?: unknown }[] {
  const chain = [];
  for (let c = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; c && i < 5; c = c.cause as typeof c, i++) {
    chain.push(c);
  }
  return chain;
}

/**
 * Classifies a thrown fetch error. Anything not known to happen before sending is `uncertain`.
 * `left`: whether the request was handed to fetch; if not, it could not be built and nothing was sent.
 */
export function requestError(e: unknown, operation: string, redact: Redact = (s) => s, left = true): EasemobError {
  const chain = causes(e);
  const refused = chain.find((c) => typeof c.message === 'string' && REFUSED_BY_FETCH.test(c.message));
  if (!left || refused) {
    const why = String((refused ?? chain[0])?.message ?? e);
    return new EasemobConfigError({ message: `the request could not be sent (${redact(why)})`, operation, cause: scrub(e, redact) });
  }
  return transportError(e, operation, redact);
}

/** Classifies a fetch failure below HTTP by its error code. */
export function transportError(e: unknown, operation: string, redact: Redact = (s) => s): EasemobTransportError {
  const timeout = (e as Error | undefined)?.name === 'TimeoutError';
  const root = timeout ? { code: 'TIMEOUT', message: 'timed out' } : causes(e).find((c) => typeof c.code === 'string');
  const code = typeof root?.code === 'string' ? root.code : 'UNKNOWN';
  // A refused TLS handshake also happens before sending, but trying again cannot fix a certificate.
  const certificate = /CERT|^UNABLE_TO_/.test(code);
  const connect = CONNECT_CODES.has(code);
  const kind = certificate ? 'fatal' : connect ? 'retryable' : 'uncertain';
  const message = redact(root ? `${code} (${String(root.message ?? '')})` : (e instanceof Error && e.message) || String(e));
  return new EasemobTransportError({ code, message, kind, operation, sent: !(certificate || connect), cause: scrub(e, redact) });
}
