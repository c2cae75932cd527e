// `status --repair`: a journal damaged in the middle (a disk error, an edit) is made readable again without
// forgetting anything it knows. Damaged lines move to journal.damaged.jsonl; a line they mention becomes uncertain
// at that point of the journal (a later record of the same line still decides), so no imported line is sent
// again and no line that may have been sent is sent silently.
import { createReadStream, fsyncSync, closeSync, renameSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE, parseRecord, type JournalRecord } from '../journal.js';
import { lockState } from '../lock.js';
import { readLines } from '../reader.js';
import { openStateFile, realFs, stateError, writeAll } from './files.js';

export const DAMAGED_FILE = 'journal.damaged.jsonl';

export interface Repaired {
  damaged: number;
  /** Ids named by damaged lines, now uncertain. */
  uncertain: string[];
  /** Damaged lines that named no id. */
  unreadable: number;
  aside: string;
}

function idIn(text: string): { id: string; line: number } | undefined {
  const id = /"id"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
  if (id === undefined) return undefined;
  try {
    return { id: JSON.parse(id) as string, line: Number(/"line"\s*:\s*(\d+)/.exec(text)?.[1] ?? 0) };
  } catch {
    return undefined;
  }
}

export async function repairJournal(dir: string): Promise<Repaired> {
  const lock = await lockState(dir);
  const path = join(dir, JOURNAL_FILE);
  const aside = join(dir, DAMAGED_FILE);
  const result: Repaired = { damaged: 0, uncertain: [], unreadable: 0, aside };
  const tmp = `${path}.repair`;
  const fd = openStateFile(tmp, 'w');
  try {
    let held: string | undefined; // the previous line, written once we know it is not the torn last one
    const flush = (text: string) => writeAll(realFs, fd, tmp, `${text}\n`);
    for await (const batch of readLines(createReadStream(path))) {
      for (const { line, text } of batch) {
        if (held !== undefined) flush(held);
        held = undefined;
        if (parseRecord(text)) {
          held = text;
          continue;
        }
        result.damaged++;
        try {
          appendFileSync(aside, `${JSON.stringify({ journal_line: line, text })}\n`, { mode: 0o600 });
        } catch (e) {
          throw stateError(aside, e);
        }
        const named = idIn(text);
        if (!named) {
          result.unreadable++;
          continue;
        }
        result.uncertain.push(named.id);
        const record: JournalRecord = {
          op: 'uncertain', id: named.id, line: named.line, record: {},
          error: { status: null, error: 'journal_damaged', description: `its journal record (journal line ${line}) was damaged; Easemob may or may not have stored it` },
        };
        held = JSON.stringify(record);
      }
    }
    if (held !== undefined) flush(held);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    throw stateError(path, e);
  } finally {
    await lock.release();
  }
  return result;
}
