// Streams a JSON Lines file (or stdin) in batches of lines, never holding the whole file: memory stays flat
// however large the input, and a line number is exact even when a line is malformed. Lines are split as bytes,
// so a line that is not UTF-8 is reported as such instead of being decoded with U+FFFD and sent. A gzip input
// (such as an hourly export file) is decompressed on the way.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UsageError } from './errors.js';

/** Longer lines are skipped and reported: a 5 KB message never needs more, and a file without newlines must not fill memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface RawLine {
  line: number;
  text: string;
  /** Why the line cannot be used before parsing (too long, not UTF-8). */
  error?: string;
}

export function openInput(file: string, stdin: Readable = process.stdin): Readable {
  return file === '-' ? stdin : createReadStream(file, { highWaterMark: 64 * 1024 });
}

/** The default state directory's name for an input. */
export function inputName(file: string): string {
  return file === '-' ? 'stdin' : basename(file);
}

/** How the input is named in `file:line` messages. */
export function displayName(file: string): string {
  return file === '-' ? 'stdin' : file;
}

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory; pass a JSON Lines file',
  EEXIST: 'it already exists',
  ENOSPC: 'the disk is full',
  EMFILE: 'too many open files',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'an input/output error',
};

/** A file system error as one sentence naming the path, for exit code 2; undefined for other errors. */
export function describeFsError(path: string, e: unknown, doing = 'cannot read'): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const problem = code && FS_PROBLEMS[code];
  return problem ? `${doing} ${path}: ${problem} (${code})` : undefined;
}

/**
 * The rule `validate`, `run` and the line count share: a line is blank when it holds nothing but JSON's own
 * whitespace (space, tab, CR). Any other whitespace (a no-break space, a form feed) is not JSON: such a line is
 * reported, never silently skipped.
 */
function isBlank(line: { text?: string; bytes?: Buffer }): boolean {
  const t = line.text;
  if (t === undefined) return false; // not UTF-8, so not only spaces
  if (t.length === 0) return true;
  const c = t.charCodeAt(0);
  return (c === 0x20 || c === 0x09 || c === 0x0d) && /^[ \t\r]*$/.test(t);
}

/** The input's bytes, gunzipped when they start with gzip's magic number. */
async function* bytesOf(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < 2 && !done) {
    const next = await it.next();
    if (next.done) done = true;
    else head = Buffer.concat([head, typeof next.value === 'string' ? Buffer.from(next.value) : next.value]);
  }
  async function* all() {
    try {
      if (head.length) yield head;
      if (done) return;
      for (let next = await it.next(); !next.done; next = await it.next()) yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    } finally {
      await it.return?.(); // a reader that stops early closes the input
    }
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) return yield* all();
  // pipeline forwards an error of either side (a damaged gzip, a read error) to the iteration below.
  yield* pipeline(Readable.from(all()), createGunzip(), () => {}) as AsyncIterable<Buffer>;
}

interface SplitLine {
  line: number;
  /** The line, decoded, without its line end (LF or CRLF) and, on line 1, without a BOM. */
  text?: string;
  /** Its bytes instead, when they are not UTF-8. */
  bytes?: Buffer;
  /** Longer than MAX_LINE_BYTES (neither text nor bytes kept). */
  overlong?: true;
}

/**
 * Every line of the input, numbered from 1. The complete lines of a chunk are checked and decoded at once (a
 * line feed never occurs inside a UTF-8 sequence, so the chunk is valid exactly when each line is); line by line
 * only when the chunk is not valid UTF-8, to find the lines that are not.
 */
async function* splitLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<SplitLine[]> {
  let parts: Buffer[] = [];
  let partLength = 0;
  let overlong = false;
  let line = 0;

  const one = (bytes: Buffer, out: SplitLine[]) => {
    line++;
    if (isUtf8(bytes)) out.push(text(bytes.toString('utf8')));
    else out.push({ line, bytes });
  };
  const text = (t: string): SplitLine => {
    if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    return { line, text: t.endsWith('\r') ? t.slice(0, -1) : t };
  };
  /** Ends the line held in `parts` with `last`. */
  const finishPartial = (last: Buffer, out: SplitLine[]) => {
    if (overlong || partLength + last.length > MAX_LINE_BYTES) out.push({ line: ++line, overlong: true });
    else one(parts.length ? Buffer.concat([...parts, last]) : last, out);
    parts = [];
    partLength = 0;
    overlong = false;
  };

  for await (const chunk of bytesOf(source)) {
    const out: SplitLine[] = [];
    const first = chunk.indexOf(10);
    if (first !== -1) {
      finishPartial(chunk.subarray(0, first), out);
      const last = chunk.lastIndexOf(10);
      if (last > first) {
        const middle = chunk.subarray(first + 1, last);
        if (isUtf8(middle)) {
          for (const t of middle.toString('utf8').split('\n')) {
            line++;
            out.push(text(t));
          }
        } else {
          let start = 0;
          for (let nl = middle.indexOf(10); nl !== -1; start = nl + 1, nl = middle.indexOf(10, start)) one(middle.subarray(start, nl), out);
          one(middle.subarray(start), out);
        }
      }
      parts = [];
      partLength = 0;
    }
    const rest = chunk.subarray(first === -1 ? 0 : chunk.lastIndexOf(10) + 1);
    if (rest.length && !overlong) {
      partLength += rest.length;
      if (partLength > MAX_LINE_BYTES) {
        overlong = true;
        parts = [];
      } else {
        parts.push(Buffer.from(rest)); // a copy: the chunk's memory is not held for a long line
      }
    }
    if (out.length) yield out;
  }
  if (overlong || partLength > 0) {
    const out: SplitLine[] = [];
    finishPartial(Buffer.alloc(0), out);
    yield out;
  }
}

/** Rethrows a read error of `source` as one sentence naming the input (exit code 2). */
async function* named<T>(source: Readable, lines: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* lines;
  } catch (e) {
    const path = 'path' in source ? String(source.path) : 'stdin';
    const fs = describeFsError(path, e);
    if (fs) throw new UsageError(fs);
    if ((e as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new UsageError(`cannot read ${path}: the gzip data is damaged (${(e as Error).message})`);
    throw e;
  }
}

/**
 * Yields the non-blank lines of `source` in order, a chunk's worth at a time: their text, or why they cannot be
 * used (too long, not UTF-8). Handles CRLF, a UTF-8 BOM, a last line without a newline and gzip.
 */
export async function* readLines(source: Readable): AsyncGenerator<RawLine[]> {
  for await (const batch of named(source, splitLines(source))) {
    const out: RawLine[] = [];
    for (const l of batch) {
      if (l.overlong) out.push({ line: l.line, text: '', error: `line is longer than ${MAX_LINE_BYTES} bytes` });
      else if (l.bytes) out.push({ line: l.line, text: l.bytes.toString('latin1'), error: 'line is not valid UTF-8 (save the file as UTF-8)' });
      else if (!isBlank(l)) out.push({ line: l.line, text: l.text! });
    }
    if (out.length) yield out;
  }
}

/**
 * Non-blank lines in a file, for a progress total: the rule of readLines (a line counts unless it is at most
 * MAX_LINE_BYTES of spaces, tabs and CRs, after a BOM on line 1), applied to the bytes without decoding them, so
 * counting a large file makes no garbage.
 */
export async function countLines(file: string): Promise<number> {
  const source = createReadStream(file, { highWaterMark: 1024 * 1024 });
  let count = 0;
  let blank = true;
  let length = 0;
  const end = () => {
    if (!blank || length > MAX_LINE_BYTES) count++;
    blank = true;
    length = 0;
  };
  let first = true;
  for await (let chunk of named(source, bytesOf(source))) {
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    first = false;
    let start = 0;
    for (let nl = chunk.indexOf(10); ; nl = chunk.indexOf(10, start)) {
      const stop = nl === -1 ? chunk.length : nl;
      length += stop - start;
      for (let i = start; blank && i < stop; i++) {
        const b = chunk[i];
        if (b !== 0x20 && b !== 0x09 && b !== 0x0d) blank = false;
      }
      if (nl === -1) break;
      end();
      start = nl + 1;
    }
  }
  if (length > 0) end();
  return count;
}
