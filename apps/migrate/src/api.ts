// The one place the CLI talks to Easemob: every call goes through @easemob-import/client. This module turns the
// client's errors into what the run does with a line: imported, failed, uncertain, released (not sent), or
// stop (a problem no later line can avoid, such as a rejected token or a redirect).
//
// It also owns the moment a request leaves: the client's requests pass through `leave()` below, which writes the
// line's `send` record (and waits until it is on disk) right before the first request of a call goes out, after
// the pacer and the token. A line that waits for either when the run is killed was never journaled as sent, so it
// is pending, not uncertain; and nothing leaves once the call is aborted. Redirects are never followed.
import {
  createImportClient,
  EasemobApiError,
  EasemobConfigError,
  EasemobError,
  EasemobTransportError,
  type ImportClientOptions,
  type ImportMessage,
  type RateLimiter,
} from '@easemob-import/client';
import type { ErrorInfo } from './journal.js';
import type { Pacer } from './pace.js';
import type { ChatType } from './spec.js';

export interface Connection {
  baseUrl: string;
  orgName: string;
  appName: string;
  token?: string;
  clientId?: string;
  clientSecret?: string;
}

export type Outcome =
  | { kind: 'imported'; msgId: string; duplicateRisk: boolean }
  | { kind: 'failed'; error: ErrorInfo }
  /** `stop`: the run must stop too (an earlier attempt may have stored the line, then a stop cause came). */
  | { kind: 'uncertain'; error: ErrorInfo; stop?: { exitCode: 1 | 2; message: string } }
  | { kind: 'released'; error: ErrorInfo }
  /** Released too, and the run must stop: `exitCode` 2 for configuration, 1 for an outage worth resuming later. */
  | { kind: 'stop'; error: ErrorInfo; exitCode: 1 | 2; message: string };

export interface ApiHooks {
  /** A retry is about to happen; `status` is the HTTP status when there was one. */
  onRetry(status: number | undefined): void;
}

// Refusals that every later line would get too: stop the run rather than fail a million lines one by one.
const STOP_STATUSES = new Set([401, 403, 415]);
const STOP_ERRORS = new Set(['organization_application_not_found', 'resource_limited']);
/** Marks the client's requests with their call; removed before the request leaves. */
const CALL_HEADER = 'x-easemob-import-call';

export interface Api {
  /**
   * Sends one message. `ticket` is the pacer grant for its first attempt; `beforeSend` journals the line and
   * resolves once that is durable: it runs right before the first request leaves, and if it throws nothing leaves.
   */
  send(chatType: ChatType, message: unknown, signal: AbortSignal, ticket: number, beforeSend: () => Promise<void>): Promise<Outcome>;
}

interface Call {
  chatType: ChatType;
  outer: AbortSignal;
  ticket?: number;
  beforeSend: () => Promise<void>;
  /** The first request of the call has left (its send record is durable). */
  left: boolean;
  /** Why no request could leave: the state directory failed, or the call was aborted. */
  blocked?: unknown;
  redirect?: string;
}

class NotSent extends Error {}

export function createApi(connection: Connection, pacers: Record<ChatType, Pacer>, options: { retryUncertain: boolean; hooks: ApiHooks }): Api {
  const calls = new Map<string, Call>();
  /** The client hands the limiter the signal of the attempt; this finds the call behind it. */
  const bySignal = new WeakMap<AbortSignal, Call>();
  let nextCall = 0;
  // The run takes a pacer slot before it calls send(), so a line waits for the pacer only when nothing is in the
  // way; retries ask again here. The slot counts as used when the request really leaves (after the journal sync).
  const limiter: RateLimiter = {
    async take(signal) {
      const call = signal && bySignal.get(signal);
      if (!call || call.ticket !== undefined) return;
      call.ticket = await pacers[call.chatType].take(signal);
    },
  };

  async function leave(request: Request): Promise<Response> {
    const id = request.headers.get(CALL_HEADER);
    const call = id === null ? undefined : calls.get(id);
    if (id !== null) request.headers.delete(CALL_HEADER); // in place: a copy of the request would cost a body stream
    if (call) {
      if (call.outer.aborted) throw (call.blocked = new NotSent('aborted before the request left'));
      if (!call.left) {
        try {
          await call.beforeSend();
        } catch (e) {
          throw (call.blocked = e);
        }
        call.left = true;
        if (call.outer.aborted) throw (call.blocked = new NotSent('aborted before the request left'));
      }
      if (call.ticket !== undefined) pacers[call.chatType].sent(call.ticket);
      call.ticket = undefined;
    }
    // The client builds every request with `redirect: 'manual'`; a 3xx comes back here and is never followed.
    const response = await fetch(request);
    if (response.status >= 300 && response.status < 400) {
      const where = response.headers.get('location');
      if (call) call.redirect = where ? safeUrl(where) : '';
    }
    return response;
  }

  const auth = connection.token
    ? { token: connection.token }
    : { clientId: connection.clientId ?? '', clientSecret: connection.clientSecret ?? '' };
  const client = createImportClient({
    baseUrl: connection.baseUrl,
    orgName: connection.orgName,
    appName: connection.appName,
    ...auth,
    retryUncertain: options.retryUncertain,
    rateLimit: limiter,
    fetch: leave,
  } as ImportClientOptions);

  return {
    async send(chatType, message, outer, ticket, beforeSend) {
      const call: Call = { chatType, outer, ticket, beforeSend, left: false };
      const id = String(nextCall++);
      calls.set(id, call);
      let duplicateRisk = false;
      let rejectedTokens = 0;
      try {
        for (;;) {
          const controller = new AbortController();
          bySignal.set(controller.signal, call);
          const abort = () => controller.abort(outer.reason);
          outer.addEventListener('abort', abort, { once: true });
          const callOptions = {
            signal: controller.signal,
            headers: { [CALL_HEADER]: id },
            onRetry: (event: { error: EasemobError }) => {
              if (event.error.kind === 'uncertain') duplicateRisk = true;
              options.hooks.onRetry(event.error instanceof EasemobApiError ? event.error.status : undefined);
            },
          };
          try {
            const msg = message as ImportMessage;
            const { msgId } = await (chatType === 'group' ? client.importGroupMessage(msg, callOptions) : client.importUserMessage(msg, callOptions));
            return { kind: 'imported', msgId, duplicateRisk };
          } catch (e) {
            const outcome = outcomeOf(e, call, connection.baseUrl);
            // An earlier attempt may have stored it: whatever happened since, the line is uncertain.
            if (duplicateRisk && outcome.kind !== 'imported' && outcome.kind !== 'uncertain') {
              return { kind: 'uncertain', error: outcome.error, ...(outcome.kind === 'stop' && { stop: { exitCode: outcome.exitCode, message: outcome.message } }) };
            }
            if (outer.aborted) return outcome;
            // With client credentials a 401 means the token expired (the client refreshes once per call; a call
            // that spans backoffs can outlive a second token). Not processed, so safe to send again with a new one.
            if (e instanceof EasemobApiError && e.status === 401 && e.operation !== 'getAppToken' && !connection.token && rejectedTokens < 2) {
              rejectedTokens++;
              options.hooks.onRetry(401);
              continue;
            }
            return outcome;
          } finally {
            outer.removeEventListener('abort', abort);
          }
        }
      } finally {
        calls.delete(id);
      }
    },
  };
}

/** What a failed call means for its line, given what the run knows about whether a request left. */
function outcomeOf(e: unknown, call: Call, baseUrl: string): Outcome {
  if (call.blocked !== undefined && !(call.blocked instanceof NotSent)) {
    // The state directory could not take the send record: nothing left, and no later line can go either.
    const message = call.blocked instanceof Error ? call.blocked.message : String(call.blocked);
    return { kind: 'stop', exitCode: 2, message, error: { status: null, error: 'state_write_failed', description: message } };
  }
  if (call.redirect !== undefined) {
    const error: ErrorInfo = { status: e instanceof EasemobApiError ? e.status : null, error: 'redirect', description: `redirected${call.redirect ? ` to ${call.redirect}` : ''}` };
    return { kind: 'stop', error, exitCode: 2, message: redirectMessage(e, call.redirect, baseUrl) };
  }
  const outcome = classify(e, baseUrl);
  if (call.left || outcome.kind === 'stop' || outcome.kind === 'released' || outcome.kind === 'imported') return outcome;
  // No request of this call left, whatever the error says: the message cannot have been stored.
  if (call.outer.aborted || call.blocked instanceof NotSent) return { kind: 'released', error: { status: null, error: 'ABORTED', description: 'stopped before the request left' } };
  const what = e instanceof Error ? e.name : typeof e;
  return {
    kind: 'stop',
    exitCode: 2,
    error: { status: null, error: 'not_sent', description: `the request could not be made (${what})` },
    message: `the request could not be made (${what}), so nothing was sent; check the credentials and --base-url`,
  };
}

function redirectMessage(e: unknown, location: string, baseUrl: string): string {
  const status = e instanceof EasemobApiError ? `${e.status} ` : '';
  const token = e instanceof EasemobError && e.operation === 'getAppToken' ? 'the token request' : 'an import call';
  return `${baseUrl} answered ${token} with a redirect (${status}to ${location || 'an unnamed location'}); redirects are never followed, so nothing was imported there. Use the app's REST host from the console as --base-url`;
}

/** A URL without credentials or query, safe to print. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/**
 * Node loads and compiles its fetch implementation on first use, which made the first real call tens of
 * milliseconds slower than the next ones, enough for calls of the first second to reach the server bunched with
 * those of the next. A fetch of a data: URL does that work up front, without touching the network.
 */
export async function warmUp(): Promise<void> {
  try {
    await (await fetch('data:application/json,{}')).json();
  } catch {
    // only an optimisation
  }
}

export function classify(e: unknown, baseUrl: string): Outcome {
  if (e instanceof EasemobApiError) {
    const error: ErrorInfo = { status: e.status, error: e.error ?? `http_${e.status}`, description: e.errorDescription ?? e.message };
    const what = `${e.status}${e.error ? ` ${e.error}` : ''}`;
    if (e.status >= 300 && e.status < 400) return { kind: 'stop', error, exitCode: 2, message: redirectMessage(e, '', baseUrl) };
    if (e.operation === 'getAppToken' && e.error === 'invalid_response') {
      return { kind: 'stop', error, exitCode: 2, message: `the token endpoint answered ${e.status} without a usable token (${e.errorDescription ?? 'no access_token'}); check --base-url` };
    }
    if (e.operation === 'getAppToken') {
      return e.kind === 'fatal'
        ? { kind: 'stop', error, exitCode: 2, message: `the token request was refused (${what}); check --client-id, --client-secret, --org and --app` }
        : { kind: 'stop', error, exitCode: 1, message: `the token endpoint kept failing (${what}); run the same command again later to continue` };
    }
    if (e.kind === 'uncertain') return { kind: 'uncertain', error };
    if (e.kind === 'retryable') {
      return { kind: 'stop', error, exitCode: 1, message: `Easemob kept refusing calls (${what}) after retries; run the same command again later to continue` };
    }
    if (STOP_STATUSES.has(e.status) || STOP_ERRORS.has(e.error ?? '')) {
      const hint = e.status === 401 ? '; check the token or client credentials' : e.status === 404 ? '; check --org, --app and --base-url' : '';
      return { kind: 'stop', error, exitCode: 2, message: `Easemob refused the import (${what})${hint}` };
    }
    return { kind: 'failed', error };
  }
  if (e instanceof EasemobTransportError) {
    const error: ErrorInfo = { status: null, error: e.code, description: e.message };
    if (/REDIRECT/i.test(e.code)) return { kind: 'stop', error, exitCode: 2, message: redirectMessage(e, '', baseUrl) };
    if (e.kind === 'uncertain') return { kind: 'uncertain', error };
    if (e.code === 'ABORTED') return { kind: 'released', error };
    if (e.kind === 'retryable') {
      return { kind: 'stop', error, exitCode: 1, message: `cannot reach ${baseUrl} (${e.code}) after retries; check --base-url, then run the same command again to continue` };
    }
    return { kind: 'failed', error };
  }
  if (e instanceof EasemobConfigError) {
    // The request could not be built (the client names the option, never its value): nothing was sent.
    return { kind: 'stop', exitCode: 2, error: { status: null, error: 'not_sent', description: e.message }, message: e.message };
  }
  // Not the client's error: something failed around the call, and the request may have left.
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'uncertain', error: { status: null, error: 'unexpected', description: message } };
}
