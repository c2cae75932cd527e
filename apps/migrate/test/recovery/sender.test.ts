// The sender alone, with a scripted api: one call per conversation at a time, file order, the concurrency cap,
// and holding after a line that failed or is uncertain.
import { describe, expect, it } from 'vitest';
import type { Api, Outcome } from '../../src/api.js';
import { Journal, LineState, LineStates } from '../../src/journal.js';
import { Pacer } from '../../src/pace.js';
import { Reports } from '../../src/report.js';
import { Ledger } from '../../src/send/ledger.js';
import { Holds, Sender, type Item } from '../../src/send/sender.js';
import { tempDir } from '../support/fixtures.js';

const item = (n: number, conversation: string): Item => ({
  line: n, sourceId: `m${n}`, chatType: 'single', conversation, msgTimestamp: 1000 + n, text: '{}', body: '{}', resent: false,
});

async function drive(items: Item[], outcome: (id: string) => Outcome, hold = true, concurrency = 2) {
  const dir = tempDir();
  const journal = new Journal(dir);
  const reports = new Reports(dir);
  reports.live();
  const states = new LineStates();
  const ledger = new Ledger(journal, reports, states);
  const order: string[] = [];
  let inFlight = 0;
  let most = 0;
  const api: Api = {
    async send(_chatType, message, _signal, _ticket, beforeSend) {
      await beforeSend();
      const id = (message as { id: string }).id;
      order.push(id);
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return outcome(id);
    },
  };
  let settle!: () => void;
  const idle = new Promise<void>((r) => (settle = r));
  const sender = new Sender({
    api, journal, ledger, holds: new Holds(hold), pacers: { single: new Pacer(0), group: new Pacer(0) }, concurrency,
    stopping: new AbortController().signal, abandoning: new AbortController().signal,
    onStop: (_o, e) => { if (e) throw e; },
    onChange: () => sender.inFlight === 0 && sender.waiting === 0 && settle(),
  });
  for (const i of items) sender.accept({ ...i, body: JSON.stringify({ id: i.sourceId }) });
  await idle;
  await journal.close();
  reports.close();
  return { order, most, states, counts: ledger.counts };
}

const imported: Outcome = { kind: 'imported', msgId: '1', duplicateRisk: false };
const failed: Outcome = { kind: 'failed', error: { status: 400, error: 'illegal_argument', description: 'x' } };

describe('sender', () => {
  it('keeps file order within a conversation and the concurrency cap across them', async () => {
    const items = [1, 2, 3, 4, 5, 6].map((n) => item(n, n % 2 ? 'a' : 'b'));
    const { order, most } = await drive(items, () => imported, true, 2);
    expect(order.filter((id) => ['m1', 'm3', 'm5'].includes(id))).toEqual(['m1', 'm3', 'm5']);
    expect(order.filter((id) => ['m2', 'm4', 'm6'].includes(id))).toEqual(['m2', 'm4', 'm6']);
    expect(most).toBe(2);
  });

  it('holds the rest of a conversation after a failed line; others go on', async () => {
    const items = [1, 2, 3, 4, 5, 6].map((n) => item(n, n % 2 ? 'a' : 'b'));
    const { order, states, counts } = await drive(items, (id) => (id === 'm3' ? failed : imported));
    expect(order.sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm6']);
    expect(states.get('m5')).toBe(LineState.Held);
    expect(counts).toMatchObject({ imported: 4, failed: 1, held: 1 });
  });

  it('with holding off, the rest of the conversation goes', async () => {
    const items = [1, 2, 3].map((n) => item(n, 'a'));
    const { order, counts } = await drive(items, (id) => (id === 'm1' ? failed : imported), false);
    expect(order).toEqual(['m1', 'm2', 'm3']);
    expect(counts).toMatchObject({ imported: 2, failed: 1, held: 0 });
  });
});
