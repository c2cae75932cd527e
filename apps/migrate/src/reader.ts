// Streams a JSON Lines file (or stdin) in batches of lines, never holding the whole file: memory stays flat
// however large the input, and a line number is exact even when a line is malformed.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Longer lines are skipped and reported: a 5 KB message never needs more, and a file without newlines must not fill memory. */
export const MAX_LINE_CHARS = 1024 * 1024;

export interface RawLine {
  line: number;
  text: string;
  /** Why the line cannot be used before parsing (it was too long). */
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

/**
 * Yields the non-blank lines of `source` in order, a chunk's worth at a time. Handles CRLF, a UTF-8 BOM and a
 * last line without a newline.
 */
export async function* readLines(source: Readable): AsyncGenerator<RawLine[]> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let partialChars = 0;
  let overlong = false;
  let line = 0;
  let first = true;

  const finish = (text: string, out: RawLine[]) => {
    line++;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (overlong) {
      out.push({ line, text: '', error: `line is longer than ${MAX_LINE_CHARS} characters` });
      overlong = false;
      return;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') out.push({ line, text });
  };

  for await (const chunk of source) {
    const text = decoder.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const out: RawLine[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      finish(overlong ? '' : partial + text.slice(start, nl), out);
      partial = '';
      partialChars = 0;
      start = nl + 1;
    }
    if (!overlong) {
      const rest = text.slice(start);
      partialChars += rest.length;
      if (partialChars > MAX_LINE_CHARS) {
        overlong = true;
        partial = '';
      } else {
        partial += rest;
      }
    }
    if (out.length) yield out;
  }
  const out: RawLine[] = [];
  const tail = partial + decoder.end();
  if (overlong || tail !== '') finish(overlong ? '' : tail, out);
  if (out.length) yield out;
}

/** Non-blank lines in a file, for a progress total: one pass over the bytes, no decoding. */
export async function countLines(file: string): Promise<number> {
  let count = 0;
  let blank = true;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) {
        if (!blank) count++;
        blank = true;
      } else if (blank && b !== 32 && b !== 9 && b !== 13) {
        blank = false;
      }
    }
  }
  return blank ? count : count + 1;
}
