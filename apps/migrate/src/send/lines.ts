// The reader of checked lines: the input, line by line, each with its verdict, in slices small enough that
// reading ahead never holds up calls in flight for long (the event loop gets a turn between slices).
import type { Readable } from 'node:stream';
import { openInput, readLines, type RawLine } from '../reader.js';
import type { StringTable } from '../table.js';
import { checkLine, LineChecker, type Verdict } from '../validate.js';

/** Lines checked between yields to the event loop. */
const SLICE = 64;

export interface CheckedLine {
  raw: RawLine;
  verdict: Verdict;
}

export async function* checkedLines(o: { file: string; stdin?: NodeJS.ReadableStream; fixTimestamps: boolean; stampExt?: string }, ids: StringTable): AsyncGenerator<CheckedLine[]> {
  const input = openInput(o.file, o.stdin as Readable | undefined);
  const checker = new LineChecker({ fixTimestamps: o.fixTimestamps, stampExt: o.stampExt, ids });
  try {
    for await (const batch of readLines(input)) {
      for (let at = 0; at < batch.length; at += SLICE) {
        if (at > 0) await new Promise((r) => setImmediate(r));
        yield batch.slice(at, at + SLICE).map((raw) => ({ raw, verdict: checkLine(checker, raw) }));
      }
    }
  } finally {
    if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
  }
}
