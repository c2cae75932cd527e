// The one place the CLI talks to Easemob: every call goes through @easemob-import/client. This module turns the
// client's errors into what the run does with a line: imported, failed, uncertain, released (not sent), or
// stop (a problem no later line can avoid, such as a rejected token).
import {
  createImportClient,
  EasemobApiError,
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
  | { kind: 'failed' | 'uncertain'; error: ErrorInfo }
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

export interface Api {
  /** Sends one message; `ticket` is the pacer grant for its first attempt, taken before it was journaled. */
  send(chatType: ChatType, message: unknown, signal: AbortSignal, ticket: number): Promise<Outcome>;
}

export function createApi(connection: Connection, pacers: Record<ChatType, Pacer>, options: { retryUncertain: boolean; hooks: ApiHooks }): Api {
  // The run takes a pacer slot before journaling a line, so a line is journaled only when it can leave at once.
  // The client asks again for every attempt; the first ask of each call is already paid, retries really wait.
  // The client calls take() right before each request, which is when the pacer should count it as sent.
  const calls = new WeakMap<AbortSignal, { chatType: ChatType; ticket?: number }>();
  const limiter: RateLimiter = {
    async take(signal) {
      const call = signal && calls.get(signal);
      if (!call) return;
      const pacer = pacers[call.chatType];
      const ticket = call.ticket ?? (await pacer.take(signal));
      call.ticket = undefined;
      pacer.sent(ticket);
    },
  };
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
  } as ImportClientOptions);

  return {
    async send(chatType, message, outer, ticket) {
      let duplicateRisk = false;
      let rejectedTokens = 0;
      for (let attempt = 0; ; attempt++) {
        const controller = new AbortController();
        const abort = () => controller.abort(outer.reason);
        outer.addEventListener('abort', abort, { once: true });
        calls.set(controller.signal, { chatType, ...(attempt === 0 && { ticket }) });
        const call = {
          signal: controller.signal,
          onRetry: (event: { error: EasemobError }) => {
            if (event.error.kind === 'uncertain') duplicateRisk = true;
            options.hooks.onRetry(event.error instanceof EasemobApiError ? event.error.status : undefined);
          },
        };
        try {
          const msg = message as ImportMessage;
          const { msgId } = await (chatType === 'group' ? client.importGroupMessage(msg, call) : client.importUserMessage(msg, call));
          return { kind: 'imported', msgId, duplicateRisk };
        } catch (e) {
          const outcome = classify(e, connection.baseUrl);
          // An earlier attempt may have stored it: whatever happened since, the line is uncertain.
          if (duplicateRisk && outcome.kind !== 'imported' && outcome.kind !== 'uncertain') return { kind: 'uncertain', error: outcome.error };
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
    },
  };
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
    if (e.kind === 'uncertain') return { kind: 'uncertain', error };
    if (e.code === 'ABORTED') return { kind: 'released', error };
    if (e.kind === 'retryable') {
      return { kind: 'stop', error, exitCode: 1, message: `cannot reach ${baseUrl} (${e.code}) after retries; check --base-url, then run the same command again to continue` };
    }
    return { kind: 'failed', error };
  }
  // Not the client's error: something failed around the call, and the request may have left.
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'uncertain', error: { status: null, error: 'unexpected', description: message } };
}
