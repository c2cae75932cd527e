import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src/schedule.js';

const item = (conversation: string, n: number) => ({ conversation, n });

describe('Scheduler', () => {
  it('lets one line per conversation out at a time, in file order, other conversations in parallel', () => {
    const s = new Scheduler<ReturnType<typeof item>>();
    for (const [c, n] of [['a', 1], ['a', 2], ['b', 3], ['a', 4], ['c', 5]] as const) s.push(item(c, n));
    const first = [s.take(), s.take(), s.take(), s.take()];
    expect(first.map((i) => i?.n)).toEqual([1, 3, 5, undefined]); // a's 2 and 4 wait behind 1
    expect(s.size).toBe(2);
    s.done(first[1]!); // b finished: nothing more for b
    expect(s.take()).toBeUndefined();
    s.done(first[0]!); // a's first finished: its second is released
    const second = s.take()!;
    expect(second.n).toBe(2);
    s.done(second);
    expect(s.take()!.n).toBe(4);
    expect(s.size).toBe(0);
  });

  it('forgets idle conversations, so memory follows the lines held', () => {
    const s = new Scheduler<ReturnType<typeof item>>();
    for (let i = 0; i < 1000; i++) {
      s.push(item(`c${i}`, i));
      s.done(s.take()!);
    }
    expect(s.activeConversations).toBe(0);
  });

  it('keeps order in a long conversation (more than the queue compaction threshold)', () => {
    const s = new Scheduler<ReturnType<typeof item>>();
    for (let i = 0; i < 5000; i++) s.push(item('long', i));
    const seen: number[] = [];
    for (let next = s.take(); next; next = s.take()) {
      seen.push(next.n);
      s.done(next);
    }
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
