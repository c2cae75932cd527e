// Small helpers the source mappers share: reading loosely typed fields, and building the bodies whose rules are
// Easemob's (custom events, custom attributes, ext).

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string (numbers are ids too), or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A finite number, also from a numeric string, or undefined. */
export function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A non-negative integer (durations, sizes), or undefined. */
export function count(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n >= 0 ? Math.round(n) : undefined;
}

/** Drops undefined fields, so a body carries only what the source had. */
export function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** The last path segment of a URL, decoded, for a file name the source did not give. */
export function fileName(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

export const MAX_CUSTOM_EXTS = 16;
const EVENT_CHAR = /[^a-zA-Z0-9\-_/.]/g;

/** `customEvent` as Easemob accepts it: 1 to 32 of `a-zA-Z0-9-_/.` (so `RC:TxtMsg` becomes `RC.TxtMsg`). */
export function customEvent(name: string): string {
  return name.replace(/:/g, '.').replace(EVENT_CHAR, '_').slice(0, 32) || 'custom';
}

/**
 * A custom body: attributes become strings (objects as JSON), empty ones are left out, and at most 16 are kept.
 * Returns what was lost, for the report.
 */
export function customBody(event: string | undefined, attributes: Json): { body: Json; lossy: string[] } {
  const lossy: string[] = [];
  const exts: Record<string, string> = {};
  let kept = 0;
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === '') continue;
    if (kept === MAX_CUSTOM_EXTS) {
      lossy.push('custom attributes over 16 dropped');
      break;
    }
    exts[k] = typeof v === 'string' ? v : JSON.stringify(v);
    kept++;
  }
  const body: Json = {};
  if (event !== undefined) {
    body.customEvent = customEvent(event);
    if (body.customEvent !== event) lossy.push('customEvent characters replaced');
  }
  if (kept) body.customExts = exts;
  return { body, lossy };
}

/**
 * `ext` from another platform's extra data: a JSON object string is used as the object, any other string is kept
 * under `key`. Keys starting `em_` are Easemob's own (push and recall settings): they are renamed `src_em_...`.
 */
export function foreignExt(value: unknown, key: string): Json | undefined {
  let v = value;
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined;
    try {
      const parsed = JSON.parse(v);
      v = isObject(parsed) ? parsed : { [key]: value };
    } catch {
      v = { [key]: value };
    }
  }
  if (!isObject(v) || Object.keys(v).length === 0) return undefined;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k.startsWith('em_') ? `src_${k}` : k] = x;
  return out;
}

// Query parameters of signed, expiring URLs: AWS S3, Alibaba OSS, Tencent COS, Qiniu (RongCloud), Azure SAS, and
// the generic ones.
const SIGNED = new Set(['expires', 'signature', 'x-amz-signature', 'x-amz-expires', 'x-oss-signature', 'x-oss-expires', 'ossaccesskeyid', 'q-sign-algorithm', 'sign', 'x-cos-security-token', 'token', 'e', 'sig', 'se', 'x-goog-signature', 'x-goog-expires', 'auth_key']);

/** Whether a URL carries a signature or an expiry, so it stops working some time after the export. */
export function isSignedUrl(url: string): boolean {
  const q = url.indexOf('?');
  if (q === -1) return false;
  for (const pair of url.slice(q + 1).split('&')) {
    const name = pair.split('=')[0].toLowerCase();
    if (SIGNED.has(name)) return true;
  }
  return false;
}
