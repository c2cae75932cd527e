// Putting every line of every input in time order with memory that does not grow with the export: lines are
// collected into runs of at most RUN_LINES, each run is sorted and written to a temporary file, and the runs are
// merged (k-way, through a priority queue; in several passes when there are very many runs).
//
// The order is (timestamp, source sequence, input file, record, part): a source's own sequence number breaks
// ties first (Tencent's MsgSeq, Slack's microseconds), then the order of the files and records, never chance.
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import TinyQueue from 'tinyqueue';
import { readLines } from '../reader.js';

export const RUN_LINES = 100_000;
const FAN_IN = 128;

export interface Keyed {
  ts: number;
  seq: number;
  /** Index of the input file. */
  file: number;
  /** Index of the record within its file. */
  record: number;
  /** Index of the line within the record's lines. */
  part: number;
  /** Line of the record in its file, for messages. */
  line: number;
  /** The line's conversation (conversationKey) and source id. */
  conversation: string;
  id: string;
  /** The output line without its timestamp, as JSON. */
  json: string;
}

export function compareKeyed(a: Keyed, b: Keyed): number {
  return a.ts - b.ts || a.seq - b.seq || a.file - b.file || a.record - b.record || a.part - b.part;
}

// One line per entry: the numbers, then the conversation key and the id as JSON strings (so no tab or newline
// inside), then the line.
const encode = (k: Keyed) => `${k.ts}\t${k.seq}\t${k.file}\t${k.record}\t${k.part}\t${k.line}\t${JSON.stringify(k.conversation)}\t${JSON.stringify(k.id)}\t${k.json}\n`;

function decode(text: string): Keyed {
  const f: string[] = [];
  let at = 0;
  for (let i = 0; i < 8; i++) {
    const tab = text.indexOf('\t', at);
    f.push(text.slice(at, tab));
    at = tab + 1;
  }
  return { ts: +f[0], seq: +f[1], file: +f[2], record: +f[3], part: +f[4], line: +f[5], conversation: JSON.parse(f[6]), id: JSON.parse(f[7]), json: text.slice(at) };
}

async function write(out: WriteStream, text: string) {
  if (!out.write(text)) await once(out, 'drain');
}

async function writeRun(path: string, items: AsyncIterable<Keyed> | Keyed[]) {
  const out = createWriteStream(path);
  let chunk = '';
  for await (const k of items) {
    chunk += encode(k);
    if (chunk.length > 1 << 20) {
      await write(out, chunk);
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Collects lines and spills them to sorted run files in `dir`. */
export class RunWriter {
  readonly runs: string[] = [];
  lines = 0;
  private buffer: Keyed[] = [];

  constructor(private readonly dir: string) {}

  get full(): boolean {
    return this.buffer.length >= RUN_LINES;
  }

  add(k: Keyed) {
    this.buffer.push(k);
    this.lines++;
  }

  async flush() {
    if (this.buffer.length === 0) return;
    const path = join(this.dir, `run-${this.runs.length}.tsv`);
    const items = this.buffer.sort(compareKeyed);
    this.buffer = [];
    await writeRun(path, items);
    this.runs.push(path);
  }
}

/** One run being read: its current line and the rest in batches. */
class Cursor {
  private batch: Keyed[] = [];
  private i = 0;
  private readonly it: AsyncIterator<Array<{ text: string }>>;
  head!: Keyed;
  constructor(path: string) {
    this.it = readLines(createReadStream(path, { highWaterMark: 64 * 1024 }))[Symbol.asyncIterator]();
  }
  /** Moves to the next line without waiting, when the batch has one. */
  step(): boolean {
    if (this.i >= this.batch.length) return false;
    this.head = this.batch[this.i++];
    return true;
  }
  async next(): Promise<boolean> {
    if (this.step()) return true;
    const r = await this.it.next();
    if (r.done) return false;
    this.batch = r.value.map((l) => decode(l.text));
    this.i = 0;
    return this.step();
  }
}

/** Merges sorted runs, yielding batches (an await per line would cost more than the merge itself). */
async function* mergeOnce(runs: string[]): AsyncGenerator<Keyed[]> {
  const queue = new TinyQueue<Cursor>([], (a, b) => compareKeyed(a.head, b.head));
  for (const path of runs) {
    const c = new Cursor(path);
    if (await c.next()) queue.push(c);
  }
  let out: Keyed[] = [];
  while (queue.length) {
    const c = queue.pop()!;
    out.push(c.head);
    if (c.step() || (await c.next())) queue.push(c);
    if (out.length === 4096) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

async function* flat(batches: AsyncIterable<Keyed[]>): AsyncGenerator<Keyed> {
  for await (const b of batches) yield* b;
}

/** Every line of every run, in order, in batches. */
export async function* mergeRuns(runs: string[], dir: string): AsyncGenerator<Keyed[]> {
  let level = runs;
  let pass = 0;
  while (level.length > FAN_IN) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += FAN_IN) {
      const path = join(dir, `merge-${pass}-${next.length}.tsv`);
      await writeRun(path, flat(mergeOnce(level.slice(i, i + FAN_IN))));
      next.push(path);
    }
    level = next;
    pass++;
  }
  yield* mergeOnce(level);
}
