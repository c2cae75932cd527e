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

function secretFile(path: string, flag: string): string {
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (!value) throw new UsageError(`${flag} ${path} is empty`);
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
  if (!/^https?:\/\//i.test(baseUrl) || !URL.canParse(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL such as https://a1.easemob.com, not ${JSON.stringify(baseUrl)}`);
  if (!orgName) throw new UsageError('no org name: pass --org or set EASEMOB_ORG (the part before # in the App Key)');
  if (!appName) throw new UsageError('no app name: pass --app or set EASEMOB_APP (the part after # in the App Key)');

  // Credentials come as a set from one level: flags if any credential flag is given, else the environment.
  const fromFlags = [flags.token, flags.tokenFile, flags.clientId, flags.clientSecret, flags.clientSecretFile].some((v) => v !== undefined);
  const token = fromFlags ? (flags.token ?? (flags.tokenFile && secretFile(flags.tokenFile, '--token-file'))) : env.EASEMOB_TOKEN;
  const clientId = fromFlags ? flags.clientId : env.EASEMOB_CLIENT_ID;
  const clientSecret = fromFlags ? (flags.clientSecret ?? (flags.clientSecretFile && secretFile(flags.clientSecretFile, '--client-secret-file'))) : env.EASEMOB_CLIENT_SECRET;

  const base = { baseUrl: baseUrl.replace(/\/+$/, ''), orgName, appName };
  if (token && (clientId || clientSecret)) throw new UsageError('pass either a token or a client ID and secret, not both');
  if (token) return { ...base, token };
  if (clientId && clientSecret) return { ...base, clientId, clientSecret };
  if (clientId || clientSecret) throw new UsageError(`${clientId ? 'a client ID needs its client secret' : 'a client secret needs its client ID'}: pass both --client-id and --client-secret (or EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET)`);
  throw new UsageError('no credentials: pass --token, or --client-id with --client-secret (or set EASEMOB_TOKEN, or EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET)');
}

export function parseCount(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
  return n;
}

export function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--rate must be a number of calls per second (0 for no limit), not ${JSON.stringify(value)}`);
  return n;
}

/** Replaces every secret in text printed or written by the CLI. */
export function redactor(connection?: Partial<Connection>): (text: string) => string {
  const secrets = [connection?.token, connection?.clientSecret].filter((s): s is string => Boolean(s && s.length >= 4));
  return (text) => secrets.reduce((out, s) => out.split(s).join('[redacted]'), text);
}
