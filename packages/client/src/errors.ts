/**
 * What a failure means for the message that was being imported:
 * - `retryable`: it was certainly not stored; sending it again is safe.
 * - `fatal`: retrying cannot help; fix the input, credentials or plan first.
 * - `uncertain`: it may have been stored; sending it again may create a duplicate.
 */
export type ErrorKind = 'retryable' | 'fatal' | 'uncertain';

/** Base class of every error the client throws. Carries no token, secret or request headers. */
export class EasemobError extends Error {
  /** Whether the message may have been stored; see {@link ErrorKind}. */
  readonly kind: ErrorKind;
  /** The operation that failed, e.g. `importUserMessage` or `getAppToken`. */
  readonly operation: string;
  constructor(message: string, kind: ErrorKind, operation: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
    this.operation = operation;
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
  }) {
    const kind = init.kind ?? classifyStatus(init.status, init.error);
    const what = [init.error, init.errorDescription].filter(Boolean).join(': ');
    super(`${init.operation} failed with HTTP ${init.status}${what ? ` (${what})` : ''} [${kind}]`, kind, init.operation);
    this.status = init.status;
    this.error = init.error;
    this.errorDescription = init.errorDescription;
    this.errorCode = init.errorCode;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The request failed below HTTP: connection refused or reset, DNS, timeout, abort. */
export class EasemobTransportError extends EasemobError {
  /** `ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`, `ABORTED` ... or `UNKNOWN`. */
  readonly code: string;
  constructor(init: { code: string; message: string; kind: ErrorKind; operation: string; cause?: unknown }) {
    super(`${init.operation} failed: ${init.message} [${init.kind}]`, init.kind, init.operation, { cause: init.cause });
    this.code = init.code;
  }
}

/** Maps an HTTP status (and Easemob's `error` name) to what it means for the message. */
export function classifyStatus(status: number, error?: string): ErrorKind {
  if (status === 429) return error === 'resource_limited' ? 'fatal' : 'retryable'; // reach_limit: not processed
  if (status === 503) return 'retryable';
  if (status >= 500) return 'uncertain'; // 500, 502, 504: the server may have stored it before failing
  return 'fatal';
}

// Errors raised while connecting: the request never left, so nothing can have been stored.
const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
]);

/** The first error code in a fetch failure's `cause` chain (undici nests them), with that error's message. */
function rootCause(e: unknown): { code: string; message: string } | undefined {
  for (let c = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; c && i < 5; c = c.cause as typeof c, i++) {
    if (typeof c.code === 'string') return { code: c.code, message: String(c.message ?? '') };
  }
  return undefined;
}

/**
 * Classifies a thrown fetch error. Anything not known to happen before sending is `uncertain`;
 * `adjust` lets the caller revise that with what it knows (e.g. an earlier attempt was uncertain).
 */
export function transportError(e: unknown, operation: string, adjust = (kind: ErrorKind) => kind): EasemobTransportError {
  const root = (e as Error | undefined)?.name === 'TimeoutError' ? { code: 'TIMEOUT', message: 'timed out' } : rootCause(e);
  const code = root?.code ?? 'UNKNOWN';
  // A refused TLS handshake also happens before sending, but trying again cannot fix a certificate.
  const kind = adjust(/CERT|^UNABLE_TO_/.test(code) ? 'fatal' : CONNECT_CODES.has(code) ? 'retryable' : 'uncertain');
  const message = root ? `${code} (${root.message})` : (e instanceof Error && e.message) || String(e);
  return new EasemobTransportError({ code, message, kind, operation, cause: e });
}
