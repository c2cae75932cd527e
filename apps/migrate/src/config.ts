// Run configuration: flags first, then environment variables. Secrets come from a flag, a file or the
// environment and are never printed; every problem is one sentence for exit code 2.
import { readFileSync } from 'node:fs';
import type { Connection } from './api.js';
import { UsageError } from './errors.js';

export interface ConnectionFlags {
  baseUrl?: string;
  org?: string;
  app?: string;
  token?: string;
  tokenFile?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretFile?: string;
}

type Env = Record<string, string | undefined>;

/** Most calls per second per endpoint: 100 times Easemob's default limit. The pacer keeps a second of send times. */
export const MAX_RATE = 10_000;
/** Most calls in flight: far above what any rate needs at a sane latency (rate × latency). */
export const MAX_CONCURRENCY = 1_000;

function secretFile(path: string, flag: string): string {
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (!value) throw new UsageError(`${flag} ${path} is empty`);
    if (/[\r\n]/.test(value)) throw new UsageError(`${flag} ${path} holds more than one line; it must hold the secret alone`);
    return value;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${flag} ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function resolveConnection(flags: ConnectionFlags, env: Env): Connection {
  const baseUrl = flags.baseUrl ?? env.EASEMOB_BASE_URL;
  const orgName = flags.org ?? env.EASEMOB_ORG;
  const appName = flags.app ?? env.EASEMOB_APP;
  if (!baseUrl) throw new UsageError('no Easemob REST host: pass --base-url (e.g. https://a1.easemob.com) or set EASEMOB_BASE_URL');
  checkBaseUrl(baseUrl);
  if (!orgName) throw new UsageError('no org name: pass --org or set EASEMOB_ORG (the part before # in the App Key)');
  if (!appName) throw new UsageError('no app name: pass --app or set EASEMOB_APP (the part after # in the App Key)');

  // Credentials come as a set from one level: flags if any credential flag is given, else the environment.
  const fromFlags = [flags.token, flags.tokenFile, flags.clientId, flags.clientSecret, flags.clientSecretFile].some((v) => v !== undefined);
  const token = fromFlags ? (flags.token ?? (flags.tokenFile && secretFile(flags.tokenFile, '--token-file'))) : env.EASEMOB_TOKEN;
  const clientId = fromFlags ? flags.clientId : env.EASEMOB_CLIENT_ID;
  const clientSecret = fromFlags ? (flags.clientSecret ?? (flags.clientSecretFile && secretFile(flags.clientSecretFile, '--client-secret-file'))) : env.EASEMOB_CLIENT_SECRET;

  for (const [what, value] of [['token', token], ['client ID', clientId], ['client secret', clientSecret]] as const) if (value) checkHeaderText(what, value);
  const base = { baseUrl: baseUrl.replace(/\/+$/, ''), orgName, appName };
  if (token && (clientId || clientSecret)) throw new UsageError('pass either a token or a client ID and secret, not both');
  if (token) return { ...base, token };
  if (clientId && clientSecret) return { ...base, clientId, clientSecret };
  if (clientId || clientSecret) throw new UsageError(`${clientId ? 'a client ID needs its client secret' : 'a client secret needs its client ID'}: pass both --client-id and --client-secret (or EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET)`);
  throw new UsageError('no credentials: pass --token, or --client-id with --client-secret (or set EASEMOB_TOKEN, or EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET)');
}

/**
 * The URL is checked, never echoed: it may hold a password. Credentials go in their own flags, where they are
 * kept out of logs and state files.
 */
function checkBaseUrl(baseUrl: string) {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || !/^https?:\/\//i.test(baseUrl)) {
    throw new UsageError(`--base-url must be an http(s) URL such as https://a1.easemob.com${url ? ` (it starts with ${url.protocol})` : ''}`);
  }
  if (url.username || url.password) {
    throw new UsageError('--base-url must not hold a user name or password: pass the client ID and secret (or a token) with their own flags or environment variables');
  }
}

/**
 * A secret goes into a header (the token) or a token request, and must be one line of visible ASCII: anything
 * else (a newline from a file, a pasted non-ASCII character) makes every call fail before it leaves. Said
 * without echoing the value.
 */
function checkHeaderText(what: string, value: string) {
  const bad = /[^\x21-\x7e]/.exec(value);
  if (!bad) return;
  const kind = bad[0] === '\n' || bad[0] === '\r' ? 'a line break' : bad[0] === ' ' || bad[0] === '\t' ? 'a space' : 'a character that is not visible ASCII';
  throw new UsageError(`the ${what} holds ${kind} (at character ${bad.index + 1}), so it cannot be sent; check how it was copied`);
}

export function parseCount(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `of at least ${min}`}, not ${JSON.stringify(value)}`);
  }
  return n;
}

export function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > MAX_RATE || value.trim() === '') {
    throw new UsageError(`--rate must be a number of calls per second from 0 (no limit) to ${MAX_RATE}, not ${JSON.stringify(value)}`);
  }
  return n;
}

/** `--latency`: milliseconds, as `50`, `50ms` or `0.05s`. */
export function parseLatency(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
  if (!(ms > 0 && ms <= 60_000)) throw new UsageError(`--latency must be the time of one call, more than 0 and at most 60 s (e.g. 50ms), not ${JSON.stringify(value)}`);
  return ms;
}

/** Replaces every secret in text printed or written by the CLI. */
export function redactor(connection?: Partial<Connection>): (text: string) => string {
  const secrets = [connection?.token, connection?.clientSecret].filter((s): s is string => Boolean(s && s.length >= 4));
  return (text) => secrets.reduce((out, s) => out.split(s).join('[redacted]'), text);
}
