import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, JOURNAL_FILE, LineState, loadJournal } from '../src/journal.js';
import { lockState } from '../src/lock.js';
import { tempDir } from './support/fixtures.js';

describe('journal', () => {
  it('the last record of a line decides its state; released lines are pending again', async () => {
    const dir = tempDir();
    const j = new Journal(dir);
    j.append({ op: 'start', at: 'now', input: 'in.jsonl', options: {} });
    for (const id of ['a', 'b', 'c', 'd', 'e']) j.append({ op: 'send', id, line: 1, msg_timestamp: 2000 });
    j.append({ op: 'imported', id: 'a', line: 1, chat_type: 'single', msg_id: '1', msg_timestamp: 2000 });
    j.append({ op: 'failed', id: 'b', line: 2, error: { status: 400, error: 'illegal_argument', description: 'x' }, record: {} });
    j.append({ op: 'uncertain', id: 'c', line: 3, error: { status: 500, error: 'e', description: 'x' }, record: {} });
    j.append({ op: 'released', id: 'd', line: 4 });
    await j.durable();
    await j.close();
    const { states, runs } = await loadJournal(dir);
    expect(runs).toBe(1);
    expect(Object.fromEntries(states.entries())).toEqual({ a: LineState.Imported, b: LineState.Failed, c: LineState.Uncertain, e: LineState.InFlight });
    expect(states.get('d')).toBe(LineState.None);
  });

  it('cuts a torn last line (a kill mid-write) and keeps appending cleanly', async () => {
    const dir = tempDir();
    const path = join(dir, JOURNAL_FILE);
    writeFileSync(path, '{"op":"send","id":"a","line":1,"msg_timestamp":2000}\n{"op":"imported","id":"a","li');
    expect((await loadJournal(dir)).states.get('a')).toBe(LineState.InFlight); // read-only (status) tolerates it
    const j = new Journal(dir);
    j.append({ op: 'send', id: 'b', line: 2, msg_timestamp: 3000 });
    await j.close();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id)).toEqual(['a', 'b']);
  });

  it('refuses a journal damaged in the middle', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, JOURNAL_FILE), '{"op":"send","id":"a","line":1,"msg_timestamp":2000}\ngarbage\n{"op":"send","id":"b","line":2,"msg_timestamp":3000}\n');
    await expect(loadJournal(dir)).rejects.toThrow(/journal.jsonl:2 is damaged/);
  });

  it('durable() resolves for many writers with few syncs (group commit)', async () => {
    const dir = tempDir();
    const j = new Journal(dir);
    const waits = [];
    for (let i = 0; i < 200; i++) {
      j.append({ op: 'send', id: String(i), line: i, msg_timestamp: 2000 + i });
      waits.push(j.durable());
    }
    await Promise.all(waits);
    await j.close();
    expect((await loadJournal(dir)).states.counts()[LineState.InFlight]).toBe(200);
  });
});

describe('state directory lock', () => {
  it('one run at a time; a released lock is free', async () => {
    const dir = tempDir();
    const lock = await lockState(dir);
    await expect(lockState(dir)).rejects.toThrow(/another run \(pid \d+\) is using/);
    await lock.release();
    const again = await lockState(dir);
    await again.release();
  });
});
