// The write-ahead journal: one JSON line per event, appended before the event's effect can happen. A `send` line
// is whole and on disk (fdatasync) before its request leaves, so after a crash, Ctrl-C, kill -9 or a full disk
// every call the CLI might have made is known: it has an outcome line, or it was in flight and is uncertain.
import { closeSync, createReadStream, fstatSync, ftruncateSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from './reader.js';
import { UsageError } from './errors.js';
import type { ChatType } from './spec.js';
import { openStateFile, realFs, stateError, writeAll, type StateFs } from './state/files.js';
import { StringTable } from './table.js';

export const JOURNAL_FILE = 'journal.jsonl';

export interface ErrorInfo {
  /** HTTP status, or null when there was no HTTP response. */
  status: number | null;
  error: string;
  description: string;
}

/** What a state directory is bound to: its input and the app it imports into (never a secret). */
export interface Binding {
  /** The input as named on the command line, and its full path (for `retry`). */
  input: string;
  path?: string;
  /** Absent for stdin. */
  fingerprint?: { size: number; sha256: string };
  target: { base_url: string; org: string; app: string };
}

export type JournalRecord =
  | { op: 'start'; at: string; input: string; total?: number; options: Record<string, unknown>; binding?: Binding; command?: 'run' | 'retry' }
  | { op: 'send'; id: string; line: number; fixed_from?: number; msg_timestamp: number }
  | { op: 'imported'; id: string; line: number; chat_type: ChatType; msg_id: string | null; msg_timestamp: number; duplicate_risk?: true; marked?: true }
  | { op: 'failed' | 'uncertain' | 'held'; id: string; line: number; error: ErrorInfo; record: Record<string, unknown> }
  /** The call was not made after all (stopped before sending, or refused for a reason that ends the run). */
  | { op: 'released'; id: string; line: number; error?: ErrorInfo }
  | { op: 'end'; at: string; interrupted: boolean };

/** What the journal says about a source id. None: never sent, or released. */
export const LineState = { None: 0, InFlight: 1, Imported: 2, Failed: 3, Uncertain: 4, Held: 5 } as const;
export type LineState = (typeof LineState)[keyof typeof LineState];

/**
 * The state of every source id the journal mentions, in one column of a StringTable (compact: a million ids
 * take tens of MB). A run shares the table with the line checker, which keeps each id's first line in another
 * column, so every id is stored once.
 */
export class LineStates {
  constructor(
    private readonly table = new StringTable(1, 'uint32'),
    private readonly col = 0,
  ) {}
  get(id: string): LineState {
    const e = this.table.find(id);
    return (e === -1 ? LineState.None : this.table.value(e, this.col)) as LineState;
  }
  set(id: string, state: LineState) {
    const e = state === LineState.None ? this.table.find(id) : this.table.add(id);
    if (e !== -1) this.table.setValue(e, state, this.col);
  }
  /** How many ids are in each state. */
  counts(): Record<LineState, number> {
    const counts: Record<number, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const v of this.table.column(this.col)) counts[v]++;
    return counts as Record<LineState, number>;
  }
  *entries(): Generator<[string, LineState]> {
    for (const [id, v] of this.table.entries(this.col)) if (v !== LineState.None) yield [id, v as LineState];
  }
}

export interface Loaded {
  states: LineStates;
  runs: number;
  lastStart?: Extract<JournalRecord, { op: 'start' }>;
  lastEnd?: Extract<JournalRecord, { op: 'end' }>;
  /** The input and target of the last run that bound them. */
  binding?: Binding;
}

const OPS = new Set(['start', 'send', 'imported', 'failed', 'uncertain', 'held', 'released', 'end']);

/** A parsed journal line, or undefined when it is not a record this journal writes (damage). */
export function parseRecord(text: string): JournalRecord | undefined {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
  const { op, id } = r as { op?: unknown; id?: unknown };
  if (typeof op !== 'string' || !OPS.has(op)) return undefined;
  if (op !== 'start' && op !== 'end' && typeof id !== 'string') return undefined;
  return r as JournalRecord;
}

/** A journal line that is damaged in the middle: refuse to guess, and say how to recover without losing anything. */
export class DamagedJournalError extends UsageError {
  constructor(path: string, line: number, dir: string) {
    super(
      `${path}:${line} is damaged (not a journal record); nothing was sent or changed. ` +
        `Keep this state directory: it is what prevents sending imported lines twice. ` +
        `To recover, run \`easemob-import status --state ${dir} --repair\`: it moves damaged lines to journal.damaged.jsonl, ` +
        `marks the lines they mention uncertain, and keeps every imported line`,
    );
  }
}

/**
 * Reads a journal in one streamed pass. `onRecord` sees every record, e.g. to rebuild the report files.
 * A missing journal is an empty one. Only the last line may be torn (a kill during a write); a damaged line
 * anywhere else stops with a DamagedJournalError.
 */
export async function loadJournal(dir: string, onRecord?: (r: JournalRecord) => void, states = new LineStates()): Promise<Loaded> {
  const loaded: Loaded = { states, runs: 0 };
  const path = join(dir, JOURNAL_FILE);
  let stream;
  try {
    stream = createReadStream(path);
    await new Promise((resolve, reject) => stream!.once('open', resolve).once('error', reject));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return loaded;
    throw stateError(path, e, 'read');
  }
  let torn: number | undefined;
  for await (const batch of readLines(stream)) {
    for (const { line, text } of batch) {
      if (torn !== undefined) throw new DamagedJournalError(path, torn, dir);
      const r = parseRecord(text);
      if (!r) {
        torn = line;
        continue;
      }
      apply(loaded, r);
      onRecord?.(r);
    }
  }
  return loaded;
}

const STATE_OF: Partial<Record<JournalRecord['op'], LineState>> = {
  send: LineState.InFlight,
  imported: LineState.Imported,
  failed: LineState.Failed,
  uncertain: LineState.Uncertain,
  held: LineState.Held,
  released: LineState.None,
};

function apply(loaded: Loaded, r: JournalRecord) {
  if (r.op === 'start') {
    loaded.runs++;
    loaded.lastStart = r;
    loaded.lastEnd = undefined;
    if (r.binding) loaded.binding = r.binding;
  } else if (r.op === 'end') loaded.lastEnd = r;
  else loaded.states.set(r.id, STATE_OF[r.op]!);
}

/** The append side. Opened after `loadJournal`; one writer per state directory (see `lock.ts`). */
export class Journal {
  private readonly fd: number;
  private readonly path: string;
  private syncing = false;
  private scheduled = false;
  /** Waiters whose records are written and will be covered by the next fdatasync. */
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  /** Once a write or sync failed, the journal takes nothing more: the run stops. */
  private failure: unknown;

  constructor(dir: string, private readonly io: StateFs = realFs) {
    this.path = join(dir, JOURNAL_FILE);
    this.fd = openStateFile(this.path, 'a+');
    try {
      repairTail(this.fd);
    } catch (e) {
      throw stateError(this.path, e);
    }
  }

  /**
   * Appends a record, whole, or throws a StateError (a short write is continued; a full disk is an error). It
   * survives a crash of this process at once; `durable()` makes it survive the machine's.
   */
  append(r: JournalRecord) {
    if (this.failure) throw this.failure;
    try {
      writeAll(this.io, this.fd, this.path, `${JSON.stringify(r)}\n`);
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  /**
   * Resolves once everything appended so far is on disk. Calls in the same event-loop turn share one fdatasync
   * (group commit), so a busy run costs a few syncs per turn, not one per line.
   */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.syncing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.waiting;
      this.waiting = [];
      this.syncing = true;
      this.io.fdatasync(this.fd, (err) => {
        this.syncing = false;
        if (err) this.failure ??= stateError(this.path, err);
        for (const w of batch) (err ? w.reject(this.failure) : w.resolve());
        if (this.waiting.length) this.schedule();
      });
    });
  }

  async close() {
    while (!this.failure && (this.syncing || this.scheduled || this.waiting.length)) await this.durable().catch(() => undefined);
    closeSync(this.fd);
  }
}

/**
 * A kill (or a full disk) in the middle of a write can leave a partial last line; cut it off so the next append
 * starts clean. A last line that ends in a newline but does not parse is torn too.
 */
function repairTail(fd: number) {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const chunk = Buffer.alloc(Math.min(size, 1 << 20));
  const at = size - chunk.length;
  readSync(fd, chunk, 0, chunk.length, at);
  const end = chunk[chunk.length - 1] === 10 ? chunk.length - 1 : chunk.length;
  const start = chunk.lastIndexOf(10, end - 1) + 1;
  const last = chunk.subarray(start, end).toString('utf8').replace(/\r$/, '');
  const complete = end < chunk.length;
  if (complete && (last.trim() === '' || parseRecord(last))) return;
  if (start === 0 && at > 0) return; // a line longer than the chunk: leave it to loadJournal to report
  ftruncateSync(fd, at + start);
}
