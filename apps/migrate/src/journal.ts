// The write-ahead journal: one JSON line per event, appended before the event's effect can happen. A `send` line
// is on disk (fdatasync) before its request leaves, so after a crash, Ctrl-C or kill -9 every call the CLI might
// have made is known: it has an outcome line, or it was in flight and is treated as uncertain.
import { closeSync, fdatasync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { readLines } from './reader.js';
import { UsageError } from './errors.js';
import type { ChatType } from './spec.js';
import { StringTable } from './table.js';

export const JOURNAL_FILE = 'journal.jsonl';

export interface ErrorInfo {
  /** HTTP status, or null when there was no HTTP response. */
  status: number | null;
  error: string;
  description: string;
}

export type JournalRecord =
  | { op: 'start'; at: string; input: string; total?: number; options: Record<string, unknown> }
  | { op: 'send'; id: string; line: number; fixed_from?: number; msg_timestamp: number }
  | { op: 'imported'; id: string; line: number; chat_type: ChatType; msg_id: string; msg_timestamp: number; duplicate_risk?: true }
  | { op: 'failed' | 'uncertain'; id: string; line: number; error: ErrorInfo; record: Record<string, unknown> }
  /** The call was not made after all (stopped before sending, or refused for a reason that ends the run). */
  | { op: 'released'; id: string; line: number; error?: ErrorInfo }
  | { op: 'end'; at: string; interrupted: boolean };

/** What the journal says about a source id. None: never sent, or released. */
export const LineState = { None: 0, InFlight: 1, Imported: 2, Failed: 3, Uncertain: 4 } as const;
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
    const counts: Record<number, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0 };
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
}

/**
 * Reads a journal in one streamed pass. `onRecord` sees every record, e.g. to rebuild the report files.
 * A missing journal is an empty one.
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
    throw e;
  }
  // Only the last line may be torn (a kill during a write); a bad line anywhere else means damage.
  let torn: number | undefined;
  for await (const batch of readLines(stream)) {
    for (const { line, text } of batch) {
      if (torn !== undefined) throw new UsageError(`${path}:${torn} is damaged (not JSON); move the state directory aside or pass another --state`);
      let r: JournalRecord;
      try {
        r = JSON.parse(text);
      } catch {
        torn = line;
        continue;
      }
      apply(loaded, r);
      onRecord?.(r);
    }
  }
  return loaded;
}

function apply(loaded: Loaded, r: JournalRecord) {
  switch (r.op) {
    case 'start':
      loaded.runs++;
      loaded.lastStart = r;
      loaded.lastEnd = undefined;
      break;
    case 'end':
      loaded.lastEnd = r;
      break;
    case 'send':
      loaded.states.set(r.id, LineState.InFlight);
      break;
    case 'imported':
      loaded.states.set(r.id, LineState.Imported);
      break;
    case 'failed':
      loaded.states.set(r.id, LineState.Failed);
      break;
    case 'uncertain':
      loaded.states.set(r.id, LineState.Uncertain);
      break;
    case 'released':
      loaded.states.set(r.id, LineState.None);
      break;
  }
}

/** The append side. Opened after `loadJournal`; one writer per state directory (see `lock.ts`). */
export class Journal {
  private readonly fd: number;
  private syncing = false;
  private scheduled = false;
  /** Waiters whose records are written and will be covered by the next fdatasync. */
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private failure: unknown;

  constructor(dir: string) {
    const path = join(dir, JOURNAL_FILE);
    this.fd = openSync(path, 'a+');
    repairTail(this.fd);
  }

  /** Appends a record. It survives a crash of this process at once; `durable()` makes it survive the machine's. */
  append(r: JournalRecord) {
    writeSync(this.fd, JSON.stringify(r) + '\n');
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
      fdatasync(this.fd, (err) => {
        this.syncing = false;
        if (err) this.failure = err;
        for (const w of batch) (err ? w.reject(err) : w.resolve());
        if (this.waiting.length) this.schedule();
      });
    });
  }

  async close() {
    while (this.syncing || this.scheduled || this.waiting.length) await this.durable().catch(() => undefined);
    closeSync(this.fd);
  }
}

/** A kill in the middle of a write can leave a partial last line; cut it off so the next append starts clean. */
function repairTail(fd: number) {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 10) return;
  const chunk = Buffer.alloc(Math.min(size, 1 << 20));
  readSync(fd, chunk, 0, chunk.length, size - chunk.length);
  const nl = chunk.lastIndexOf(10);
  ftruncateSync(fd, nl === -1 ? size - chunk.length : size - chunk.length + nl + 1);
}
