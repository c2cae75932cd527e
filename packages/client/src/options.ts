// Checks what goes into a request before anything is sent, so a bad option fails at once with a message that
// names it, instead of failing inside fetch with a message that echoes a secret.
import { EasemobConfigError } from './errors.js';

// The Fetch standard's "bad ports": fetch refuses to connect to them.
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);
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

/** A base URL fetch can use: http(s), no credentials, no port fetch refuses. Never echoes the URL. */
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
  if (BAD_PORTS.has(Number(url.port))) fail(operation, 'baseUrl', `uses port ${url.port}, which fetch refuses to connect to`);
}

/** A bearer token: one line of printable ASCII, as every Easemob token is. */
export function checkToken(token: unknown, operation: string, field = 'token'): void {
  if (typeof token !== 'string' || !token) return fail(operation, field, 'must be a non-empty string');
  const bad = badChar(token, true);
  if (bad) fail(operation, field, `is not valid in an Authorization header: it ${bad}`);
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
