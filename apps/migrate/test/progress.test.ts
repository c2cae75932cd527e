import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, startProgress, type Snapshot } from '../src/progress.js';

function stream(tty: boolean) {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
  if (tty) Object.assign(s, { isTTY: true, columns: 120, cursorTo: (_x: number, cb?: () => void) => cb?.(), clearLine: (_d: number, cb?: () => void) => cb?.(), moveCursor: (_x: number, _y: number, cb?: () => void) => cb?.() });
  return { s, text: () => chunks.join('') };
}

describe('progress', () => {
  it('on a terminal: a live bar with done/total, rate, ETA and failures', async () => {
    const { s, text } = stream(true);
    const snap: Snapshot = { done: 0, total: 1000, failed: 0, uncertain: 0, calls: 0 };
    const p = startProgress({ stream: s, intervalMs: 5000, read: () => snap });
    for (let i = 1; i <= 5; i++) {
      await new Promise((r) => setTimeout(r, 220));
      Object.assign(snap, { done: i * 100, calls: i * 100, failed: i, uncertain: 1 });
    }
    p.stop();
    expect(text()).toMatch(/\d+\/1000 lines \| [\d.]+\/s \| ETA \S+ \| failed \d \| uncertain 1/);
  });

  it('elsewhere: a plain line every interval', async () => {
    const { s, text } = stream(false);
    const snap: Snapshot = { done: 250, total: 1000, failed: 2, uncertain: 1, calls: 250 };
    const p = startProgress({ stream: s, intervalMs: 50, read: () => snap });
    await new Promise((r) => setTimeout(r, 180));
    p.stop();
    const lines = text().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^easemob-import: 250\/1000 lines \(25%\), [\d.]+\/s, ETA \S+, failed 2, uncertain 1$/);
  });

  it('formats durations for ETAs and estimates', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(10_000_000 / 100)).toBe('27h46m');
    expect(formatDuration(Infinity)).toBe('?');
  });
});
