// After `retry`, the report files hold each line's latest word only, however many times it was retried.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/journal.js';
import { Reports, Superseded } from '../../src/report.js';
import { tempDir } from '../support/fixtures.js';
import { readJsonl } from '../support/invariants.js';

const error = { status: 400, error: 'illegal_argument', description: 'x' };
const journal: JournalRecord[] = [
  { op: 'failed', id: 'a', line: 1, error, record: {} },
  { op: 'held', id: 'b', line: 2, error, record: {} },
  { op: 'send', id: 'a', line: 1, msg_timestamp: 1 }, // retry 1: a fails again, b held again
  { op: 'failed', id: 'a', line: 1, error, record: {} },
  { op: 'held', id: 'b', line: 2, error, record: {} },
  { op: 'send', id: 'a', line: 1, msg_timestamp: 1 }, // retry 2: both imported
  { op: 'imported', id: 'a', line: 1, chat_type: 'single', msg_id: '7', msg_timestamp: 1 },
  { op: 'send', id: 'b', line: 2, msg_timestamp: 2 },
  { op: 'uncertain', id: 'b', line: 2, error, record: {} },
  { op: 'failed', id: 'c', line: 3, error, record: {} },
];

describe('report files after retries', () => {
  it('keep only the latest word of each line', () => {
    const superseded = new Superseded();
    for (const r of journal) superseded.see(r);
    const final: Record<string, string> = { a: 'imported', b: 'uncertain', c: 'failed' };
    const dir = tempDir();
    const reports = new Reports(dir);
    for (const r of journal) if (superseded.keep(r, (id) => final[id])) reports.record(r);
    reports.close();
    expect(readJsonl(join(dir, 'imported.jsonl')).map((r) => r.source_id)).toEqual(['a']);
    expect(readJsonl(join(dir, 'uncertain.jsonl')).map((r) => r.source_id)).toEqual(['b']);
    expect(readJsonl(join(dir, 'failed.jsonl')).map((r) => r.source_id)).toEqual(['c']);
    expect(readJsonl(join(dir, 'held.jsonl'))).toEqual([]);
  });
});
