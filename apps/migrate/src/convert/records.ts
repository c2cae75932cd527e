// JSON records out of an export file, whatever the layout: one object per line (JSON Lines), objects followed by
// a comma, objects back to back or spread over lines, an array of objects, and a text prefix before an object on
// its line (RongCloud writes a timestamp there). Each record keeps the line it starts on. A record that does not
// parse is reported and the scan goes on, so one bad record never stops a conversion. JSON.parse first; JSON5
// second, for records with trailing commas inside.
import type { Readable } from 'node:stream';
import JSON5 from 'json5';
import { readLines, type RawLine } from '../reader.js';

/** A record spread over lines is given up past this size (a single line is bounded by the reader). */
const MAX_RECORD_CHARS = 1024 * 1024;

export interface SourceRecord {
  line: number;
  /** Text before the object on its line, trimmed. */
  prefix: string;
  value?: unknown;
  /** Why there is no value. */
  error?: string;
}

export function parseRecord(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    try {
      return { value: JSON5.parse(text) };
    } catch {
      return { error: `not valid JSON (${(e as Error).message})` };
    }
  }
}

const STRUCTURE = /[{}[\]"]/;

/** Scans line by line; the character scanner runs only for lines that are not one whole object. */
class Scanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private chars = 0;
  private start = 0;
  private prefix = '';
  /** Text outside any object on the current line. */
  private junk = '';

  line(raw: RawLine, out: SourceRecord[]) {
    if (raw.error) {
      if (this.depth > 0) this.abandon(out, `line ${raw.line}: ${raw.error}`);
      else out.push({ line: raw.line, prefix: '', error: raw.error });
      return;
    }
    // A whole object on a line of its own (not indented, so not part of a pretty-printed record) also ends a
    // record left open by a cut-off line before it.
    const whole = this.depth === 0 || !/^\s/.test(raw.text) ? this.whole(raw) : undefined;
    if (whole) {
      if (this.depth > 0) this.abandon(out, 'record is cut off (a new record starts on the next line)');
      out.push(whole);
      return;
    }
    this.scan(raw.text, raw.line, out);
  }

  end(out: SourceRecord[]) {
    if (this.depth > 0) this.abandon(out, 'record is cut off (the file ends inside it)');
  }

  /** A line that is one object (with a prefix, a trailing comma): parsed as a whole, the common case. */
  private whole(raw: RawLine): SourceRecord | undefined {
    const text = raw.text;
    const open = text.indexOf('{');
    if (open === -1 || STRUCTURE.test(text.slice(0, open))) return undefined;
    let body = text.slice(open).trimEnd();
    if (body.endsWith(',')) body = body.slice(0, -1).trimEnd();
    if (!body.endsWith('}')) return undefined;
    try {
      return { line: raw.line, prefix: text.slice(0, open).trim(), value: JSON.parse(body) };
    } catch {
      return undefined;
    }
  }

  private scan(text: string, line: number, out: SourceRecord[]) {
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.depth === 0) {
        if (ch === '{') {
          this.depth = 1;
          this.start = line;
          this.prefix = this.junk.trim();
          this.junk = '';
          from = i;
        } else if (this.junk !== '' || !/[\s,[\]]/.test(ch)) {
          this.junk += ch;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
      } else if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') {
        if (--this.depth === 0) {
          this.parts.push(text.slice(from, i + 1));
          const parsed = parseRecord(this.parts.join('\n'));
          out.push({ line: this.start, prefix: this.prefix, ...parsed });
          this.parts = [];
          this.chars = 0;
        }
      }
    }
    if (this.depth > 0) {
      const rest = text.slice(from);
      this.parts.push(rest);
      this.chars += rest.length;
      if (this.chars > MAX_RECORD_CHARS) this.abandon(out, `record is longer than ${MAX_RECORD_CHARS} characters`);
    } else if (this.junk.trim() !== '') {
      out.push({ line, prefix: '', error: `text outside a JSON object: ${JSON.stringify(this.junk.trim().slice(0, 40))}` });
    }
    this.junk = '';
  }

  private abandon(out: SourceRecord[], error: string) {
    out.push({ line: this.start, prefix: this.prefix, error });
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.parts = [];
    this.chars = 0;
  }
}

/** Yields the records of a stream in batches, in file order. */
export async function* readRecords(source: Readable): AsyncGenerator<SourceRecord[]> {
  const scanner = new Scanner();
  for await (const batch of readLines(source)) {
    const out: SourceRecord[] = [];
    for (const raw of batch) scanner.line(raw, out);
    if (out.length) yield out;
  }
  const out: SourceRecord[] = [];
  scanner.end(out);
  if (out.length) yield out;
}
