import type { Operation } from './bundle.js';
import type { Target } from './target.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Request-body paths that Prism's validation errors (the sl-violations header) name. */
  named: Set<string>;
  /** How many violations the sl-violations header lists (0 without the header). */
  violations: number;
}

export interface SendOptions {
  body?: unknown;
  /** Sent as it is instead of `body` serialised as JSON. */
  raw?: string;
  /** Replaces default headers; null removes one. */
  headers?: Record<string, string | null>;
}

export async function send(target: Target, op: Operation, { body, raw, headers = {} }: SendOptions = {}): Promise<Reply> {
  const all: Record<string, string | null> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(op.secured ? { authorization: `Bearer ${await target.token()}` } : {}),
    ...headers,
  };
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const url = target.baseUrl + op.path.replace('{org_name}', target.org).replace('{app_name}', target.app);
  const res = await fetch(url, {
    method: op.method,
    headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null)),
    // Bytes, not a string: fetch labels a string body text/plain, and rows must be able to send no Content-Type.
    body: payload === undefined ? undefined : new TextEncoder().encode(payload),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text so a failing assertion shows it
  }
  const header = res.headers.get('sl-violations');
  const violations = header ? (JSON.parse(header) as unknown[]).length : 0;
  return { status: res.status, headers: res.headers, body: parsed, named: namedFields(header), violations };
}

/** Turns Prism's violations into dotted request-body paths, e.g. "body.customExts" or "from". */
export function namedFields(header: string | null): Set<string> {
  const named = new Set<string>();
  for (const v of JSON.parse(header ?? '[]') as { location: string[]; message: string }[]) {
    if (v.location[1] !== 'body') continue;
    // "required" and "additionalProperties" errors sit on the parent and quote the child's name.
    const child = /'([^']+)'$/.exec(v.message)?.[1];
    named.add([...v.location.slice(2), ...(child ? [child] : [])].join('.'));
  }
  return named;
}

/** Applies a row's changes to a copy of an example. */
export function changed(example: unknown, set: Record<string, unknown> = {}, unset: string[] = []): unknown {
  const copy = structuredClone(example) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const parent = (path: string) => {
    const keys = path.split('.');
    const last = keys.pop()!;
    return [keys.reduce((at, k) => (at[k] ??= {}), copy), last] as const;
  };
  for (const path of unset) {
    const [at, key] = parent(path);
    delete at[key];
  }
  for (const [path, value] of Object.entries(set)) {
    const [at, key] = parent(path);
    at[key] = value;
  }
  return copy;
}

/** The JSON type of a value at a dotted path, as named in the case tables. */
export function jsonType(value: unknown, path: string): string {
  const v = path.split('.').reduce<any>((at, k) => at?.[k], value); // eslint-disable-line @typescript-eslint/no-explicit-any
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}
