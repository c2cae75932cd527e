// Checks what goes into a request before anything is sent, so a bad option fails at once with a message that
// names it, instead of failing inside fetch with a message that echoes a secret.
import { EasemobConfigError } from './errors.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const fail = (operation: string, field: string, message: string): never => {
  throw new EasemobConfigError({ message: `${field} ${message}`, operation, field });
};

/** The first character a header value cannot hold, described without showing the value. */
function badChar(value: string, strict: boolean): string | undefined {
  // strict (tokens): printable ASCII only; otherwise what fetch accepts: Latin-1 without NUL, CR or LF
  const at = strict ? value.search(/[^\x21-\x7e]/) : value.search(/[^\t\x20-\x7e\x80-\xff]/);
  if (at < 0) return undefined;
  const c = value.charCodeAt(at);
  const what = c === 10 || c === 13 ? 'a line break' : c < 32 || c === 127 ? 'a control character' : c === 32 ? 'a space' : 'a non-ASCII character';
  return `contains ${what} at character ${at + 1}`;
}

/**
 * A base URL fetch can use: http(s), no credentials. Never echoes the URL. (A port fetch refuses, such as 6000,
 * fails the first call with `EasemobConfigError`: the list is fetch's to keep.)
 */
export function checkBaseUrl(baseUrl: unknown, operation: string): void {
  if (typeof baseUrl !== 'string' || !baseUrl) return fail(operation, 'baseUrl', 'is required');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fail(operation, 'baseUrl', 'is not a valid URL (expected e.g. https://a1.easemob.com)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(operation, 'baseUrl', `must be an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) {
    fail(operation, 'baseUrl', 'must not contain a user name or password; pass token, or clientId and clientSecret');
  }
}

/** A bearer token: one line of printable ASCII, as every Easemob token is. */
export const isBearerToken = (value: unknown): value is string => typeof value === 'string' && /^[\x21-\x7e]+$/.test(value);

export function checkToken(token: unknown, operation: string): void {
  if (typeof token !== 'string' || !token) return fail(operation, 'token', 'must be a non-empty string');
  const bad = badChar(token, true);
  if (bad) fail(operation, 'token', `is not valid in an Authorization header: it ${bad}`);
}

export function checkHeaders(headers: Record<string, string> | undefined, operation: string): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) fail(operation, 'headers', 'has a header name that is not valid');
    const bad = typeof value === 'string' ? badChar(value, false) : 'is not a string';
    if (bad) fail(operation, 'headers', `has a value for ${name} that ${bad}`);
  }
}

export function checkText(value: unknown, operation: string, field: string): void {
  if (typeof value !== 'string' || !value) fail(operation, field, 'must be a non-empty string');
}
