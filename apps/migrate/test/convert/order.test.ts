// The external sort: runs spilled to disk merge back into one ordered sequence, in several passes when there are
// more runs than are merged at once.
import { describe, expect, it } from 'vitest';
import { compareKeyed, mergeRuns, RunWriter, type Keyed } from '../../src/convert/order.js';
import { tempDir } from '../support/fixtures.js';

describe('runs and merge', () => {
  it('merges 300 runs (more than one pass) into (ts, seq, file, record, part) order, losing nothing', async () => {
    const dir = tempDir('easemob-import-order-');
    const runs = new RunWriter(dir);
    const all: Keyed[] = [];
    let n = 0;
    for (let r = 0; r < 300; r++) {
      for (let i = 0; i < 5; i++) {
        n++;
        const k: Keyed = { ts: (n * 7919) % 50, seq: n % 3, file: r % 4, record: n, part: i % 2, line: n, conversation: `s["a${n % 5}","b"]`, id: `x:${n}\t"tab"`, json: `{"n":${n},"t":"tab\\there"}` };
        all.push(k);
        runs.add(k);
      }
      await runs.flush();
    }
    expect(runs.runs).toHaveLength(300);
    const merged: Keyed[] = [];
    for await (const batch of mergeRuns(runs.runs, dir)) merged.push(...batch);
    expect(merged).toEqual([...all].sort(compareKeyed));
  });
});
