import { describe, expect, it } from 'vitest';
import { conversationKey } from '../src/conversation.js';
import { conversationLabel, describeEstimate, estimate, parseDuration, type ConversationLines } from '../src/plan/estimate.js';

const rate = { single: 100, group: 100 };
/** One group of `big` lines and `small` one-to-one conversations of 10 lines each. */
function dominant(big: number, small: number): ConversationLines[] {
  const out: ConversationLines[] = [{ key: conversationKey('group', 'x', '42'), chatType: 'group', lines: big }];
  for (let i = 0; i < small; i++) out.push({ key: conversationKey('single', `u${i}`, `v${i}`), chatType: 'single', lines: 10 });
  return out;
}

describe('estimate', () => {
  it('is lines ÷ rate when conversations are small', () => {
    const e = estimate(dominant(10, 1000), { rate, latencyMs: 50, latencySource: 'assumed' });
    expect(e.endpoints.single).toMatchObject({ lines: 10_000, conversations: 1000, rate_s: 100, seconds: 100 });
    // 10 lines × (50 ms + one pacing interval of 10 ms at 100/s)
    expect(e.endpoints.single.critical_path_s).toBeCloseTo(0.6);
    expect(e).toMatchObject({ seconds: 100, bound: 'rate' });
  });

  it('is the critical path when one conversation dominates: its lines × (latency + pacing), whatever the rate', () => {
    // a million messages in one group at 50 ms a call (+ 2 ms pacing at 500/s) need about 14 hours
    const e = estimate(dominant(1_000_000, 10), { rate: { single: 500, group: 500 }, latencyMs: 50, latencySource: 'assumed' });
    expect(e.endpoints.group).toMatchObject({ lines: 1_000_000, rate_s: 2000 });
    expect(e.endpoints.group.critical_path_s).toBeCloseTo(52_000);
    expect(e.endpoints.group.largest).toEqual([{ conversation: 'group 42', lines: 1_000_000 }]);
    expect(e).toMatchObject({ bound: 'critical_path' });
    expect(e.seconds).toBeCloseTo(52_000);
    expect(describeEstimate(e).join('\n')).toMatch(/critical path: 1000000 calls × 52 ms \(50 ms \+ 2 ms pacing\) = about 14h26m[\s\S]*importing takes about 14h26m, set by the largest conversation, one call at a time \(50 ms a call, assumed/);
  });

  it('lists the three largest conversations per endpoint, largest first', () => {
    const convs = [5, 50, 7, 40, 60].map((lines, i) => ({ key: conversationKey('single', `a${i}`, `b${i}`), chatType: 'single' as const, lines }));
    expect(estimate(convs, { rate, latencyMs: 50, latencySource: 'assumed' }).endpoints.single.largest).toEqual([
      { conversation: 'a4 ↔ b4', lines: 60 },
      { conversation: 'a1 ↔ b1', lines: 50 },
      { conversation: 'a3 ↔ b3', lines: 40 },
    ]);
  });

  it('counts the calls in flight: all lines × latency ÷ concurrency', () => {
    const e = estimate(dominant(10, 1000), { rate: { single: 0, group: 0 }, latencyMs: 100, latencySource: 'measured', concurrency: 4 });
    expect(e).toMatchObject({ concurrency_s: 250.25, seconds: 250.25, bound: 'concurrency' });
  });

  it('with a deadline: fits, or the rate that would make it, or no rate when the critical path is longer', () => {
    const small = dominant(10, 1000);
    expect(estimate(small, { rate, latencyMs: 50, latencySource: 'assumed', deadlineS: 3600 }).deadline).toEqual({ seconds: 3600, fits: true });
    const tight = estimate(small, { rate, latencyMs: 50, latencySource: 'assumed', deadlineS: 20 }).deadline!;
    expect(tight).toMatchObject({ fits: false, rate_needed: 500, concurrency_needed: 50 });
    expect(tight.reason).toBe('it needs --rate 500 (Easemob sells higher limits) and --concurrency 50');
    const big = estimate(dominant(1_000_000, 10), { rate, latencyMs: 50, latencySource: 'assumed', deadlineS: 86_400 / 2 }).deadline!;
    expect(big).toMatchObject({ fits: false, rate_needed: null });
    expect(big.reason).toMatch(/^the largest conversation alone takes 16h40m, one call at a time \(50 ms each, plus pacing\), however high the rate/);
  });

  it('parses deadlines and labels conversations', () => {
    expect(['24h', '90m', '1d12h', '3600s', '3600', '1.5h'].map(parseDuration)).toEqual([86_400, 5400, 129_600, 3600, 3600, 5400]);
    for (const bad of ['', 'soon', '24 h', 'h']) expect(parseDuration(bad)).toBeUndefined();
    expect(conversationLabel(conversationKey('single', 'bob', 'alice'))).toBe('alice ↔ bob');
    expect(conversationLabel(conversationKey('group', 'bob', '1123376564212'))).toBe('group 1123376564212');
  });
});
