import type { Middleware } from 'openapi-fetch';
import { sleep } from './retry.js';

/** Where the bearer token comes from. Never exposes a token through its own properties. */
export interface TokenSource {
  /** The current token; fetches one first if none is cached or it is about to expire. */
  get(): string | Promise<string>;
  /** Forgets `token` if it is still the cached one (the server rejected it). */
  invalidate(token: string): void;
  /** Whether a call rejected with `token` may replay: a newer token exists or may be requested now. */
  replayable(token: string): boolean;
}

export function staticToken(token: string): TokenSource {
  return { get: () => token, invalidate() {}, replayable: () => false };
}

export interface IssuedToken {
  access_token: string;
  /** Seconds; 0 (or missing) means it does not expire. */
  expires_in?: number;
}

/**
 * Caches an exchanged token until shortly before `expires_in` (10% of its life, at most 5 minutes, early),
 * and keeps at most one token request in flight however many calls wait for it. After a token was rejected or a
 * token request failed, the next request starts no sooner than `minIntervalMs` after the previous one started,
 * and a call rejected with a token issued less than `minIntervalMs` ago does not replay: a server that rejects
 * every token costs one token request per interval, not one or two per call.
 */
export function cachedToken(fetchToken: () => Promise<IssuedToken>, now: () => number = Date.now, minIntervalMs = 1000): TokenSource {
  let token: string | undefined;
  let latest: string | undefined; // the last token issued, even once rejected
  let expiresAt = 0;
  let pending: Promise<string> | undefined;
  let lastStart = -Infinity;
  let suspect = false; // the last token was rejected or the last token request failed
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
    replayable(rejected) {
      return rejected !== latest || pending !== undefined || now() >= lastStart + minIntervalMs;
    },
    invalidate(rejected) {
      if (rejected === token) {
        token = undefined;
        expiresAt = 0;
        suspect = true;
      }
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
      const token = response.status === 401 ? used(request) : undefined;
      if (token) source.invalidate(token);
    },
  };
}
