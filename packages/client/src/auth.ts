import type { Middleware } from 'openapi-fetch';
import { sleep } from './retry.js';

/** Where the bearer token comes from. Never exposes a token through its own properties. */
export interface TokenSource {
  /** The current token; fetches one first if none is cached or it is about to expire. */
  get(): string | Promise<string>;
  /** Forgets `token` if it is still the cached one (the server rejected it). */
  invalidate(token: string): void;
  /** The server accepted `token` (a 2xx): if it is rejected later, it expired. */
  accepted(token: string): void;
  /**
   * Whether a call rejected with `token` may replay: a newer token exists or may be requested now. `again`: the call
   * replayed before, so only a token that was replaced or had worked (it expired) lets it replay once more.
   */
  replayable(token: string, again?: boolean): boolean;
}

export function staticToken(token: string): TokenSource {
  return { get: () => token, invalidate() {}, accepted() {}, replayable: () => false };
}

export interface IssuedToken {
  access_token: string;
  /** Seconds; 0 (or missing) means it does not expire. */
  expires_in?: number;
}

/**
 * Caches an exchanged token until shortly before `expires_in` (10% of its life, at most 5 minutes, early),
 * and keeps at most one token request in flight however many calls wait for it.
 *
 * A token that worked and is then rejected has expired: it is replaced at once. A token rejected before it ever
 * worked, or a failed token request, makes the next token request wait until `minIntervalMs` after the previous
 * one started, and a call rejected with such a token does not replay within that time. So a server that rejects
 * every token costs one token request per interval, not one or two per call.
 */
export function cachedToken(fetchToken: () => Promise<IssuedToken>, now: () => number = Date.now, minIntervalMs = 1000): TokenSource {
  let token: string | undefined;
  let latest: string | undefined; // the last token issued, even once rejected
  let worked = false; // the server accepted `latest` at least once
  let expiresAt = 0;
  let pending: Promise<string> | undefined;
  let lastStart = -Infinity;
  let suspect = false; // the last token was rejected before it ever worked, or the last token request failed
  const request = () => {
    lastStart = now();
    return fetchToken();
  };
  return {
    get() {
      if (token !== undefined && now() < expiresAt) return token;
      const wait = suspect ? lastStart + minIntervalMs - now() : 0;
      return (pending ??= (wait > 0 ? sleep(wait).then(request) : request()).then(
        (issued) => {
          pending = undefined;
          suspect = false;
          token = latest = issued.access_token;
          worked = false;
          const lifeMs = (Number(issued.expires_in) || 0) * 1000;
          expiresAt = lifeMs > 0 ? now() + lifeMs - Math.min(300_000, lifeMs / 10) : Infinity;
          return token;
        },
        (e) => {
          pending = undefined;
          suspect = true;
          throw e;
        },
      ));
    },
    replayable(rejected, again = false) {
      if (rejected !== latest || worked) return true;
      return !again && (pending !== undefined || now() >= lastStart + minIntervalMs);
    },
    invalidate(rejected) {
      if (rejected === token) {
        token = undefined;
        expiresAt = 0;
        suspect = !worked;
      }
    },
    accepted(used) {
      if (used === latest) worked = true;
    },
  };
}

/** Adds `Authorization: Bearer` to every request except those to `publicPath`, and drops a token the server rejects. */
export function authMiddleware(source: TokenSource, publicPath: string): Middleware {
  const used = (request: Request) => request.headers.get('authorization')?.slice('Bearer '.length);
  return {
    async onRequest({ request, schemaPath }) {
      if (schemaPath === publicPath) return;
      request.headers.set('Authorization', `Bearer ${await source.get()}`);
    },
    onResponse({ request, response }) {
      const token = used(request);
      if (token && response.status === 401) source.invalidate(token);
      else if (token && response.ok) source.accepted(token);
    },
  };
}
