// Every check a line gets before it may be sent: the spec's schema, then what a schema cannot say (order within
// a conversation, unique ids, size, URLs). `validate` and `run` share it, so a dry run predicts the real one.
import { conversationKey } from './conversation.js';
import { createSchemaValidator, type Problem } from './schema.js';
import type { ChatType } from './spec.js';
import { structureProblem } from './strict-json.js';
import { StringTable } from './table.js';

export type { Problem } from './schema.js';

/** body plus ext, in UTF-8 bytes: the send API's limit, which Easemob applies to imports too. */
export const MAX_CONTENT_BYTES = 5 * 1024;
const ATTACHMENT_FIELDS: Record<string, string[]> = { img: ['url'], audio: ['url'], video: ['url', 'thumb'], file: ['url'] };
/**
 * Smaller timestamps are taken for seconds: as milliseconds they fall before March 1973, before any chat
 * history, while every date in seconds up to the year 5000 is below it.
 */
export const MIN_MILLISECONDS = 100_000_000_000;
/** Fields of a line that are the CLI's, not the request's. */
const LINE_FIELDS = new Set(['chat_type', 'source_id', '_error']);

export interface CheckOptions {
  /** Timestamps after this are "in the future". Default: when the checker was created. */
  now?: number;
  /** Raise an equal or earlier timestamp to one more than the conversation's previous one. */
  fixTimestamps?: boolean;
  /** Write the source id into `ext[stampExt]`. */
  stampExt?: string;
  /** Where to keep each source id's first line (column 0); a run shares it with the journal's states. */
  ids?: StringTable;
  /** Lines expected, to size the tables once. */
  expectedLines?: number;
}

export interface Message {
  from: string;
  target: string;
  type: string;
  body: Record<string, unknown>;
  ext?: Record<string, unknown>;
  msg_timestamp: number;
  [field: string]: unknown;
}

export interface ValidLine {
  ok: true;
  line: number;
  sourceId: string;
  chatType: ChatType;
  conversation: string;
  /** The request body to send (timestamp fixed and ext stamped when asked). */
  message: Message;
  /** The timestamp in the file, when `fixTimestamps` changed it. */
  fixedFrom?: number;
  /** The parsed line as it was in the file. */
  original: Record<string, unknown>;
}

export interface InvalidLine {
  ok: false;
  line: number;
  sourceId: string;
  /** The parsed line, or undefined when it was not a JSON object. */
  original?: Record<string, unknown>;
  problems: Problem[];
}

export type Verdict = ValidLine | InvalidLine;

/**
 * Parses and checks one line from the reader. The value checked is the value sent: a line JSON.parse would
 * read differently from how it is written (a key twice, `__proto__`) is refused, not reinterpreted.
 */
export function checkLine(checker: LineChecker, raw: { line: number; text: string; error?: string }): Verdict {
  if (raw.error) return checker.malformed(raw.line, raw.error);
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (e) {
    if (raw.text.trim() === '') return checker.malformed(raw.line, 'line holds only whitespace that JSON does not allow (such as a no-break space or a form feed); empty it or delete it');
    return checker.malformed(raw.line, `line is not valid JSON (${(e as Error).message})`);
  }
  const structure = structureProblem(raw.text);
  if (structure) return checker.malformed(raw.line, structure);
  return checker.check(raw.line, value);
}

/** `file:line: /field message`, the form every problem is printed in. */
export function formatProblem(file: string, line: number, p: Problem): string {
  return `${file}:${line}: ${p.field ? `${p.field} ${p.message}` : p.message}`;
}

/** Checks lines in file order; keeps per-conversation and per-id state, so one instance per input file. */
export class LineChecker {
  private readonly schema = createSchemaValidator();
  private readonly now: number;
  /** Per conversation: last accepted timestamp (column 0), its line (column 1) and the valid lines (column 2). */
  private readonly last = new StringTable(3);
  private readonly conversationCounts = { single: 0, group: 0 };
  /** First line of each source id (column 0; 0 = not seen yet). */
  private readonly ids: StringTable;

  constructor(private readonly options: CheckOptions = {}) {
    this.now = options.now ?? Date.now();
    this.ids = options.ids ?? new StringTable(1, 'uint32', options.expectedLines);
  }

  /** A line that did not parse: it still takes its line number as id, so it cannot hide a later duplicate. */
  malformed(line: number, reason: string | Problem): InvalidLine {
    const sourceId = String(line);
    const problems: Problem[] = [typeof reason === 'string' ? { field: '', message: reason } : reason];
    this.claimId(sourceId, line, problems);
    return { ok: false, line, sourceId, problems };
  }

  check(line: number, value: unknown): Verdict {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.malformed(line, 'line is not a JSON object');
    }
    const original = value as Record<string, unknown>;
    const problems: Problem[] = [];

    const rawId = original.source_id;
    let sourceId = String(line);
    if (rawId !== undefined) {
      if (typeof rawId === 'string' && rawId.length > 0) sourceId = rawId;
      else problems.push({ field: '/source_id', message: 'must be a non-empty string' });
    }
    this.claimId(sourceId, line, problems);

    const chatType = original.chat_type;
    if (chatType !== 'single' && chatType !== 'group') {
      problems.push({ field: '/chat_type', message: chatType === undefined ? 'is required ("single" or "group")' : 'must be "single" or "group"' });
    }

    const message: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(original)) if (!LINE_FIELDS.has(k)) message[k] = v;
    const schemaProblems = this.schema(message, chatType === 'group' ? 'group' : 'single');
    problems.push(...schemaProblems);
    if (schemaProblems.length > 0 || problems.length > 0) return { ok: false, line, sourceId, original, problems };

    // The schema passed, so the shape below is known.
    const m = message as Message;
    this.checkUrls(m, problems);
    if (this.options.stampExt) m.ext = { ...m.ext, [this.options.stampExt]: sourceId };
    const bytes = Buffer.byteLength(JSON.stringify(m.body)) + (m.ext ? Buffer.byteLength(JSON.stringify(m.ext)) : 0);
    if (bytes > MAX_CONTENT_BYTES) {
      problems.push({ field: '/body', message: `and /ext together are ${bytes} bytes; Easemob accepts at most ${MAX_CONTENT_BYTES} (5 KB)` });
    }

    const conversation = conversationKey(chatType as ChatType, m.from, m.target);
    let fixedFrom: number | undefined;
    if (m.msg_timestamp === undefined) {
      problems.push({ field: '/msg_timestamp', message: 'is required for a historical import (without it Easemob dates the message now)' });
    } else if (m.msg_timestamp < MIN_MILLISECONDS) {
      problems.push({
        field: '/msg_timestamp',
        kind: 'seconds',
        message: `is ${m.msg_timestamp}, which looks like seconds (as milliseconds it is ${new Date(m.msg_timestamp).toISOString()}); Easemob takes Unix milliseconds: multiply by 1000`,
      });
    } else if (m.msg_timestamp > this.now) {
      problems.push({ field: '/msg_timestamp', message: `is in the future (${new Date(m.msg_timestamp).toISOString()})` });
    } else {
      const prev = this.last.find(conversation);
      const prevTs = prev === -1 ? -Infinity : this.last.value(prev, 0);
      if (m.msg_timestamp <= prevTs) {
        if (this.options.fixTimestamps && prevTs + 1 <= this.now) {
          fixedFrom = m.msg_timestamp;
          m.msg_timestamp = prevTs + 1;
        } else {
          problems.push({
            field: '/msg_timestamp',
            message: `must be greater than ${prevTs}, the timestamp of line ${this.last.value(prev, 1)} in the same conversation (sort each conversation by time, or pass --fix-timestamps to run)`,
          });
        }
      }
    }
    if (problems.length > 0) return { ok: false, line, sourceId, original, problems };

    const size = this.last.size;
    const entry = this.last.add(conversation);
    if (this.last.size > size) this.conversationCounts[chatType as ChatType]++;
    this.last.setValue(entry, m.msg_timestamp, 0);
    this.last.setValue(entry, line, 1);
    this.last.setValue(entry, this.last.value(entry, 2) + 1, 2);
    return { ok: true, line, sourceId, chatType: chatType as ChatType, conversation, message: m, original, ...(fixedFrom !== undefined && { fixedFrom }) };
  }

  /** Conversations with at least one valid line so far. */
  conversations(): Record<ChatType, number> {
    return { ...this.conversationCounts };
  }

  /** Every conversation with its valid lines so far (the key is conversationKey's). */
  *conversationLines(): Generator<{ key: string; chatType: ChatType; lines: number }> {
    for (let e = 0; e < this.last.size; e++) {
      const key = this.last.key(e);
      yield { key, chatType: key.startsWith('g') ? 'group' : 'single', lines: this.last.value(e, 2) };
    }
  }

  private claimId(sourceId: string, line: number, problems: Problem[]) {
    const entry = this.ids.add(sourceId);
    const first = this.ids.value(entry);
    if (first === 0) this.ids.setValue(entry, line);
    else problems.push({ field: '/source_id', message: `${JSON.stringify(sourceId)} is already used by line ${first}${first === Number(sourceId) ? ' (its line number is its default id)' : ''}` });
  }

  private checkUrls(m: Message, problems: Problem[]) {
    for (const field of ATTACHMENT_FIELDS[m.type] ?? []) {
      const url = m.body[field];
      if (url === undefined) continue;
      if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || !URL.canParse(url)) {
        problems.push({ field: `/body/${field}`, message: 'must be an absolute http(s) URL' });
      }
    }
  }
}
