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

  it('on a terminal, a notice while the bar runs and the summary after it leave no fragment of the bar', async () => {
    const { s, text } = stream(true);
    const original = s.write;
    const snap: Snapshot = { done: 10, total: 1000, failed: 0, uncertain: 0, calls: 10 };
    const p = startProgress({ stream: s, intervalMs: 5000, read: () => snap });
    await new Promise((r) => setTimeout(r, 250));
    s.write('\nstopping: waiting for 3 calls in flight to finish\n'); // what `run` prints on Ctrl-C
    snap.done = 20;
    await new Promise((r) => setTimeout(r, 250));
    p.stop();
    expect(s.write).toBe(original);
    s.write('stopped: 20 imported\n');
    expect(screen(text())).toEqual(['stopping: waiting for 3 calls in flight to finish', 'stopped: 20 imported', '']);
  });
});

/** The lines a terminal shows after `out`: enough of VT100 for what the bar writes (cursor moves, clears, save/restore). */
function screen(out: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  const put = (ch: string) => {
    const line = rows[row].padEnd(col, ' ');
    rows[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  for (let i = 0; i < out.length; i++) {
    const ch = out[i];
    if (ch === '\n') {
      row++;
      col = 0;
      rows[row] ??= '';
    } else if (ch === '\r') col = 0;
    else if (ch === '\x1b') {
      const m = /^\x1b(?:\[(\??)(\d*)([A-Za-z])|([78]))/.exec(out.slice(i))!;
      i += m[0].length - 1;
      if (m[4] === '7') saved = { row, col };
      else if (m[4] === '8') ({ row, col } = saved);
      else if (m[1] === '?') continue; // cursor visibility, line wrapping
      else if (m[3] === 'G') col = Number(m[2] || 1) - 1;
      else if (m[3] === 'K' && m[2] === '2') rows[row] = '';
      else if (m[3] === 'K') rows[row] = rows[row].slice(0, col);
    } else put(ch);
  }
  return rows.map((r) => r.trimEnd());
}
